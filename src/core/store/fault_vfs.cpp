#include "store/fault_vfs.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>

#include <tmfd/log.hpp>

namespace tmfd::store {

namespace {

enum class Fault { None, Full, Io, Sync };

std::string control_file;
sqlite3_vfs* real_vfs = nullptr;

Fault current_fault() {
  std::ifstream in(control_file);
  std::string word;
  if (!(in >> word)) return Fault::None;
  if (word == "full") return Fault::Full;
  if (word == "io") return Fault::Io;
  if (word == "sync") return Fault::Sync;
  return Fault::None;
}

// Our file: the io methods first (SQLite's layout), then the real VFS's file right after it.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultFile* self(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return self(f)->real(); }

int x_close(sqlite3_file* f) { return real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK; }

int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (current_fault() == Fault::Io) return SQLITE_IOERR_READ;
  return real(f)->pMethods->xRead(real(f), buf, n, off);
}

int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  switch (current_fault()) {
  case Fault::Full: return SQLITE_FULL;
  case Fault::Io: return SQLITE_IOERR_WRITE;
  case Fault::None:
  case Fault::Sync: break;
  }
  return real(f)->pMethods->xWrite(real(f), buf, n, off);
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (current_fault() == Fault::Io) return SQLITE_IOERR_TRUNCATE;
  return real(f)->pMethods->xTruncate(real(f), size);
}

int x_sync(sqlite3_file* f, int flags) {
  const Fault fault = current_fault();
  if (fault == Fault::Io || fault == Fault::Sync) return SQLITE_IOERR_FSYNC;
  return real(f)->pMethods->xSync(real(f), flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); }
int x_unlock(sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); }
int x_check_reserved_lock(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) { return real(f)->pMethods->xShmUnmap(real(f), delete_flag); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int amount, void** out) {
  // No memory-mapped reads while faults are injected: they would bypass x_read.
  *out = nullptr;
  (void)f, (void)off, (void)amount;
  return SQLITE_OK;
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  (void)f, (void)off, (void)p;
  return SQLITE_OK;
}

const sqlite3_io_methods kMethods = {
    3,           x_close,      x_read,       x_write,       x_truncate,        x_sync,
    x_file_size, x_lock,       x_unlock,     x_check_reserved_lock, x_file_control, x_sector_size,
    x_device_characteristics,  x_shm_map,    x_shm_lock,    x_shm_barrier,     x_shm_unmap,
    x_fetch,     x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  std::memset(f, 0, sizeof(FaultFile));
  int rc = real_vfs->xOpen(real_vfs, name, self(f)->real(), flags, out_flags);
  // SQLite calls xClose even when xOpen failed, as long as pMethods is set: set it only on
  // success, and only once the real file has methods to forward to.
  if (rc == SQLITE_OK && self(f)->real()->pMethods) f->pMethods = &kMethods;
  return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return real_vfs->xDelete(real_vfs, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return real_vfs->xAccess(real_vfs, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { real_vfs->xDlError(real_vfs, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return real_vfs->xDlSym(real_vfs, h, sym); }
void x_dl_close(sqlite3_vfs*, void* h) { real_vfs->xDlClose(real_vfs, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return real_vfs->xSleep(real_vfs, us); }
int x_current_time(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs->xCurrentTimeInt64(real_vfs, out); }

sqlite3_vfs fault_vfs{};

} // namespace

const char* fault_vfs_name() {
  static std::once_flag once;
  static const char* name = nullptr;
  std::call_once(once, [] {
    const char* file = std::getenv("TMFD_FAULT_INJECTION");
    if (!file || !*file) return;
    control_file = file;
    real_vfs = sqlite3_vfs_find(nullptr);
    fault_vfs = *real_vfs;
    fault_vfs.iVersion = 2;
    fault_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + real_vfs->szOsFile;
    fault_vfs.pNext = nullptr;
    fault_vfs.zName = "tmfd-faults";
    fault_vfs.pAppData = nullptr;
    fault_vfs.xOpen = x_open;
    fault_vfs.xDelete = x_delete;
    fault_vfs.xAccess = x_access;
    fault_vfs.xFullPathname = x_full_pathname;
    fault_vfs.xDlOpen = x_dl_open;
    fault_vfs.xDlError = x_dl_error;
    fault_vfs.xDlSym = x_dl_sym;
    fault_vfs.xDlClose = x_dl_close;
    fault_vfs.xRandomness = x_randomness;
    fault_vfs.xSleep = x_sleep;
    fault_vfs.xCurrentTime = x_current_time;
    fault_vfs.xGetLastError = x_get_last_error;
    fault_vfs.xCurrentTimeInt64 = x_current_time_int64;
    sqlite3_vfs_register(&fault_vfs, 0);
    name = fault_vfs.zName;
    log::warn("store", "storage fault injection is enabled (TMFD_FAULT_INJECTION); for tests only",
              {{"control_file", control_file}});
  });
  return name;
}

} // namespace tmfd::store
