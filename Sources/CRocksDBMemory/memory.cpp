// The C API of RocksDB 7.8 has no binding for WriteBufferManager. Its option and cache handles are plain
// wrappers defined in RocksDB's db/c.cc; the definitions below repeat them exactly (checked against the
// 7.8.3 source) so the C++ objects inside can be reached. Any other RocksDB version is refused at compile time.
#include "crocksdb_memory.h"

#include <memory>

#include <rocksdb/cache.h>
#include <rocksdb/options.h>
#include <rocksdb/version.h>
#include <rocksdb/write_buffer_manager.h>

#if ROCKSDB_MAJOR != 7 || ROCKSDB_MINOR != 8
#error "crocksdb_memory.cpp mirrors RocksDB 7.8's db/c.cc handle layout; check it against this version first"
#endif

struct rocksdb_options_t {
    rocksdb::Options rep;
};
struct rocksdb_cache_t {
    std::shared_ptr<rocksdb::Cache> rep;
};
struct tributary_write_buffer_manager {
    std::shared_ptr<rocksdb::WriteBufferManager> rep;
};

extern "C" tributary_write_buffer_manager *tributary_write_buffer_manager_create(size_t buffer_bytes,
                                                                                 rocksdb_cache_t *cache) {
    auto *manager = new tributary_write_buffer_manager;
    manager->rep = std::make_shared<rocksdb::WriteBufferManager>(buffer_bytes, cache ? cache->rep : nullptr);
    return manager;
}

extern "C" void tributary_write_buffer_manager_destroy(tributary_write_buffer_manager *manager) { delete manager; }

extern "C" size_t tributary_write_buffer_manager_memory_usage(const tributary_write_buffer_manager *manager) {
    return manager->rep->memory_usage();
}

extern "C" void tributary_options_set_write_buffer_manager(rocksdb_options_t *options,
                                                           tributary_write_buffer_manager *manager) {
    options->rep.write_buffer_manager = manager->rep;
}
