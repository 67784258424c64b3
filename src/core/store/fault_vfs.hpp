#pragma once
// Storage fault injection, for testing what tmfd does when its disk fails: a SQLite VFS that
// passes everything to the default one, except that while a control file says so, writes,
// syncs and reads fail the way a failing disk makes them fail.
//
// Dormant unless the environment variable TMFD_FAULT_INJECTION names the control file when
// tmfd starts (a warning is logged then). The control file holds one word:
//   full   writes fail with SQLITE_FULL (as on a full disk)
//   io     writes, syncs and reads fail with SQLITE_IOERR_* (as on a failing disk)
//   sync   syncs alone fail with SQLITE_IOERR_FSYNC (data written, never confirmed on disk)
// Anything else, or no file, means no fault. It is read at every write, sync and read.
#include <string>

namespace tmfd::store {

// The name of the VFS to open connections with: the fault VFS when TMFD_FAULT_INJECTION is set
// (registered on the first call), else nullptr (SQLite's default).
const char* fault_vfs_name();

} // namespace tmfd::store
