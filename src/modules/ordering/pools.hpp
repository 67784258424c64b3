#pragma once
// Allocation from pools (IPv4 host addresses of a CIDR, or a decimal number range such as
// MSISDNs). Each value handed out is an internal `allocation` resource whose id is
// "<pool>:<value>": the engine's unique ids make a second allocation of the same value
// impossible, in this process or after a crash, and a release deletes it. A per-pool cursor
// remembers where the last search stopped, so allocation does not rescan the pool.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <tmfd/unit_of_work.hpp>

#include "fulfilment_config.hpp"

namespace tmfd::ordering {

// Throws std::invalid_argument("<at>: problem") for a pool that is not a valid CIDR or range.
void check_pool(const PoolConfig& pool, const std::string& at);

std::uint64_t pool_size(const PoolConfig& pool);
std::string pool_value(const PoolConfig& pool, std::uint64_t index);

// Where each pool's next search starts. Kept in memory and stored every kSaveEvery allocations
// (a write per allocation would cost every order one more row): after a crash the search starts
// at most that many values early and skips them, one lookup each. A hint only: which values are
// taken is what the allocation records say.
class PoolCursors {
public:
  static constexpr std::uint64_t kSaveEvery = 64;
  // Takes the next free value of `pool` for `owner` (a step) of order `order_id`; nullopt when
  // every value is taken.
  std::optional<std::string> allocate(UnitOfWork& work, const PoolConfig& pool, const std::string& order_id,
                                      const std::string& owner);

private:
  struct Cursor {
    std::uint64_t next = 0;
    std::uint64_t unsaved = 0;
    bool stored = false;  // a cursor record exists
  };
  Cursor& cursor(UnitOfWork& work, const std::string& pool);
  std::mutex mutex_;
  std::map<std::string, Cursor> cursors_;
};
// Gives a value back (nothing when it was not allocated).
void release(UnitOfWork& work, const std::string& pool, const std::string& value);

} // namespace tmfd::ordering
