#ifndef CRDKAFKA_SHIM_H
#define CRDKAFKA_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/*
 * Produce one message through rd_kafka_produceva (Swift cannot call the
 * variadic rd_kafka_producev). The payload and key are copied by librdkafka
 * (RD_KAFKA_MSG_F_COPY), so they only need to live for the duration of the
 * call. `headers` may be NULL; on success librdkafka owns it, on failure the
 * caller still owns it.
 */
static inline rd_kafka_error_t *crdkafka_produce(rd_kafka_t *rk,
                                                 rd_kafka_topic_t *rkt,
                                                 int32_t partition,
                                                 const void *key,
                                                 size_t key_len,
                                                 const void *value,
                                                 size_t value_len,
                                                 int64_t timestamp,
                                                 rd_kafka_headers_t *headers) {
        rd_kafka_vu_t vus[7];
        size_t n = 0;
        vus[n].vtype = RD_KAFKA_VTYPE_RKT;
        vus[n++].u.rkt = rkt;
        vus[n].vtype = RD_KAFKA_VTYPE_PARTITION;
        vus[n++].u.i32 = partition;
        vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        vus[n++].u.i = RD_KAFKA_MSG_F_COPY;
        vus[n].vtype = RD_KAFKA_VTYPE_VALUE;
        vus[n].u.mem.ptr = (void *)value;
        vus[n++].u.mem.size = value_len;
        vus[n].vtype = RD_KAFKA_VTYPE_KEY;
        vus[n].u.mem.ptr = (void *)key;
        vus[n++].u.mem.size = key_len;
        if (timestamp != 0) {
                vus[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
                vus[n++].u.i64 = timestamp;
        }
        if (headers != NULL) {
                vus[n].vtype = RD_KAFKA_VTYPE_HEADERS;
                vus[n++].u.headers = headers;
        }
        return rd_kafka_produceva(rk, vus, n);
}

/*
 * Mirrors of the leading parts of librdkafka 2.0.2's private mock structs
 * (src/rdkafka_mock_int.h: rd_kafka_mock_cluster_s, rd_kafka_mock_topic_s,
 * rd_kafka_mock_partition_s), written from the x86_64 LP64 ABI layout.
 * They are valid ONLY for librdkafka 0x020002ff on x86_64; Swift verifies
 * the version and cross-checks live values before any field is written.
 */

/* TAILQ_ENTRY / TAILQ_HEAD: two pointers each. */
typedef struct {
        void *next;
        void *prev;
} crdkafka_tailq_link_v2_0_2;

/* rd_list_t (src/rdlist.h). */
typedef struct {
        int rl_size;
        int rl_cnt;
        void **rl_elems;
        void (*rl_free_cb)(void *);
        int rl_flags;
        int rl_elemsize;
        void *rl_p;
} crdkafka_rd_list_v2_0_2;

struct crdkafka_mock_topic_v2_0_2;
struct crdkafka_mock_cluster_v2_0_2;

/* The complete rd_kafka_mock_partition_s: the partitions of a topic are one
 * calloc'ed array, so the full size is needed as the array stride. */
typedef struct crdkafka_mock_partition_v2_0_2 {
        crdkafka_tailq_link_v2_0_2 leader_link;
        int32_t id;
        int64_t start_offset;
        int64_t end_offset;
        int64_t follower_start_offset;
        int64_t follower_end_offset;
        uint8_t update_follower_start_offset; /* rd_bool_t */
        uint8_t update_follower_end_offset;   /* rd_bool_t */
        crdkafka_tailq_link_v2_0_2 msgsets;
        size_t size;
        size_t cnt;
        size_t max_size;
        size_t max_cnt;
        crdkafka_tailq_link_v2_0_2 committed_offsets;
        void *leader;
        void **replicas;
        int replica_cnt;
        crdkafka_rd_list_v2_0_2 pidstates;
        int32_t follower_id;
        struct crdkafka_mock_topic_v2_0_2 *topic;
} crdkafka_mock_partition_v2_0_2;

/* The complete rd_kafka_mock_topic_s. `link.next` is the next topic. */
typedef struct crdkafka_mock_topic_v2_0_2 {
        crdkafka_tailq_link_v2_0_2 link;
        char *name;
        crdkafka_mock_partition_v2_0_2 *partitions;
        int partition_cnt;
        int err; /* rd_kafka_resp_err_t */
        struct crdkafka_mock_cluster_v2_0_2 *cluster;
} crdkafka_mock_topic_v2_0_2;

/* The leading part of rd_kafka_mock_cluster_s, up to and including
 * `defaults`. Never allocated or copied: only read through a pointer. */
typedef struct crdkafka_mock_cluster_v2_0_2 {
        char id[32];
        void *rk;
        int32_t controller_id;
        crdkafka_tailq_link_v2_0_2 brokers;
        int broker_cnt;
        crdkafka_tailq_link_v2_0_2 topics; /* tqh_first, tqh_last */
        int topic_cnt;
        crdkafka_tailq_link_v2_0_2 cgrps;
        crdkafka_tailq_link_v2_0_2 coords;
        crdkafka_rd_list_v2_0_2 pids;
        char *bootstraps;
        unsigned long thread; /* thrd_t == pthread_t */
        void *ops;
        int wakeup_fds[2]; /* rd_socket_t */
        uint8_t run;       /* rd_bool_t */
        int fd_cnt;
        int fd_size;
        void *fds;
        void *dummy_rkb;
        struct {
                int partition_cnt;
                int replication_factor;
        } defaults;
} crdkafka_mock_cluster_v2_0_2;

#if defined(__x86_64__) && defined(__LP64__)
/* Hand-computed x86_64 offsets; a mismatch means the mirror above is wrong. */
_Static_assert(sizeof(crdkafka_rd_list_v2_0_2) == 40, "rd_list_t size");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, id) == 16, "mpart.id");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, start_offset) == 24, "mpart.start_offset");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, end_offset) == 32, "mpart.end_offset");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, msgsets) == 64, "mpart.msgsets");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, size) == 80, "mpart.size");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, cnt) == 88, "mpart.cnt");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, max_size) == 96, "mpart.max_size");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, max_cnt) == 104, "mpart.max_cnt");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, pidstates) == 152, "mpart.pidstates");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, follower_id) == 192, "mpart.follower_id");
_Static_assert(offsetof(crdkafka_mock_partition_v2_0_2, topic) == 200, "mpart.topic");
/* 200 + 8, already a multiple of the 8-byte alignment: no tail padding. */
_Static_assert(sizeof(crdkafka_mock_partition_v2_0_2) == 208, "mpart stride");
_Static_assert(offsetof(crdkafka_mock_topic_v2_0_2, name) == 16, "mtopic.name");
_Static_assert(offsetof(crdkafka_mock_topic_v2_0_2, partitions) == 24, "mtopic.partitions");
_Static_assert(offsetof(crdkafka_mock_topic_v2_0_2, partition_cnt) == 32, "mtopic.partition_cnt");
_Static_assert(offsetof(crdkafka_mock_topic_v2_0_2, cluster) == 40, "mtopic.cluster");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, broker_cnt) == 64, "mcluster.broker_cnt");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, topics) == 72, "mcluster.topics");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, topic_cnt) == 88, "mcluster.topic_cnt");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, pids) == 128, "mcluster.pids");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, bootstraps) == 168, "mcluster.bootstraps");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, run) == 200, "mcluster.run");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, fds) == 216, "mcluster.fds");
_Static_assert(offsetof(crdkafka_mock_cluster_v2_0_2, defaults) == 232, "mcluster.defaults");
#endif

/* 1 when the mirrors above describe this build target, else 0. */
static inline int crdkafka_mock_layout_compiled_for_target(void) {
#if defined(__x86_64__) && defined(__LP64__)
        return 1;
#else
        return 0;
#endif
}

/*
 * Accessors for memory the mock thread writes concurrently. Loads are
 * acquire and stores relaxed so the compiler neither caches nor tears them;
 * on x86_64 (TSO) these are plain aligned moves.
 */
static inline crdkafka_mock_cluster_v2_0_2 *
crdkafka_mock_cluster_layout(rd_kafka_mock_cluster_t *mcluster) {
        return (crdkafka_mock_cluster_v2_0_2 *)(void *)mcluster;
}

static inline crdkafka_mock_topic_v2_0_2 *
crdkafka_mock_first_topic(const crdkafka_mock_cluster_v2_0_2 *c) {
        return (crdkafka_mock_topic_v2_0_2 *)__atomic_load_n(&c->topics.next, __ATOMIC_ACQUIRE);
}

static inline crdkafka_mock_topic_v2_0_2 *
crdkafka_mock_next_topic(const crdkafka_mock_topic_v2_0_2 *t) {
        return (crdkafka_mock_topic_v2_0_2 *)__atomic_load_n(&t->link.next, __ATOMIC_ACQUIRE);
}

static inline int crdkafka_mock_topic_count(const crdkafka_mock_cluster_v2_0_2 *c) {
        return __atomic_load_n(&c->topic_cnt, __ATOMIC_ACQUIRE);
}

static inline crdkafka_mock_partition_v2_0_2 *
crdkafka_mock_partition_at(const crdkafka_mock_topic_v2_0_2 *t, int index) {
        return &t->partitions[index];
}

static inline int64_t crdkafka_mock_partition_start_offset(const crdkafka_mock_partition_v2_0_2 *p) {
        return __atomic_load_n(&p->start_offset, __ATOMIC_ACQUIRE);
}

static inline size_t crdkafka_mock_partition_max_size(const crdkafka_mock_partition_v2_0_2 *p) {
        return __atomic_load_n(&p->max_size, __ATOMIC_ACQUIRE);
}

static inline size_t crdkafka_mock_partition_max_cnt(const crdkafka_mock_partition_v2_0_2 *p) {
        return __atomic_load_n(&p->max_cnt, __ATOMIC_ACQUIRE);
}

static inline void crdkafka_mock_partition_lift_limits(crdkafka_mock_partition_v2_0_2 *p) {
        __atomic_store_n(&p->max_size, SIZE_MAX, __ATOMIC_RELAXED);
        __atomic_store_n(&p->max_cnt, SIZE_MAX, __ATOMIC_RELAXED);
}

static inline void crdkafka_mock_set_default_partitions(crdkafka_mock_cluster_v2_0_2 *c, int n) {
        __atomic_store_n(&c->defaults.partition_cnt, n, __ATOMIC_RELAXED);
}

#endif
