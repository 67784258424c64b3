#pragma once
// A small tmpfs mounted for one test: a real disk that really fills up (write() fails with
// ENOSPC), for tmfd's database or its export folder. Mounting needs root, which CI has; tests
// check mounted() and skip with a warning otherwise.
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <utility>

#include "tmfd_process.hpp"

namespace tmfd::test {

class SmallDisk {
public:
  // On a new temporary folder.
  explicit SmallDisk(std::size_t bytes) : SmallDisk(make_temp_dir(), bytes, true) {}
  // Over an existing folder `dir` (what was in it is hidden until the disk is unmounted).
  SmallDisk(std::string dir, std::size_t bytes) : SmallDisk(std::move(dir), bytes, false) {}
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    if (own_dir_) remove_temp_dir(dir_);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  static bool can_mount() { return ::geteuid() == 0; }
  bool mounted() const { return mounted_; }
  const std::string& dir() const { return dir_; }
  // Bytes a write may still take.
  std::size_t free_bytes() const {
    struct statvfs s {};
    if (::statvfs(dir_.c_str(), &s) != 0) return 0;
    return static_cast<std::size_t>(s.f_bavail) * s.f_frsize;
  }

private:
  SmallDisk(std::string dir, std::size_t bytes, bool own_dir) : dir_(std::move(dir)), own_dir_(own_dir) {
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + std::to_string(bytes)).c_str()) == 0;
  }
  std::string dir_;
  bool own_dir_ = false;
  bool mounted_ = false;
};

} // namespace tmfd::test
