#ifndef CROCKSDB_SHIM_H
#define CROCKSDB_SHIM_H
// RocksDB's C API imports as is: no shims are needed.
#include <rocksdb/c.h>
#endif
