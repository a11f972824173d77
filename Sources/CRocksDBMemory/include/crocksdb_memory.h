#ifndef CROCKSDB_MEMORY_H
#define CROCKSDB_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque RocksDB C API types (declared in <rocksdb/c.h>). */
struct rocksdb_options_t;
struct rocksdb_cache_t;

/* A RocksDB WriteBufferManager, which RocksDB 7.8's C API does not expose. */
typedef struct tributary_write_buffer_manager tributary_write_buffer_manager;

/* Creates a manager limiting the memtables of every store it is set on to `buffer_bytes` in total, charging
   that memory to `cache` so that memtables and cached blocks share one bound. */
tributary_write_buffer_manager *tributary_write_buffer_manager_create(size_t buffer_bytes,
                                                                      struct rocksdb_cache_t *cache);

/* Releases the caller's reference; stores opened with it keep theirs. */
void tributary_write_buffer_manager_destroy(tributary_write_buffer_manager *manager);

/* Memtable memory currently charged to the manager, in bytes. */
size_t tributary_write_buffer_manager_memory_usage(const tributary_write_buffer_manager *manager);

/* Makes stores opened with `options` count their memtables against `manager`. */
void tributary_options_set_write_buffer_manager(struct rocksdb_options_t *options,
                                                tributary_write_buffer_manager *manager);

#ifdef __cplusplus
}
#endif

#endif
