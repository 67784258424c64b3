#pragma once
// Allocation from pools (IPv4 host addresses of a CIDR, or a decimal number range such as
// MSISDNs). Each value handed out is an internal `allocation` resource whose id is
// "<pool>:<value>": the engine's unique ids make a second allocation of the same value
// impossible, in this process or after a crash, and a release deletes it. A per-pool cursor
// resource remembers where the last search stopped, so allocation does not rescan the pool.
#include <cstdint>
#include <optional>
#include <string>

#include <tmfd/unit_of_work.hpp>

#include "fulfilment_config.hpp"

namespace tmfd::ordering {

// Throws std::invalid_argument("<at>: problem") for a pool that is not a valid CIDR or range.
void check_pool(const PoolConfig& pool, const std::string& at);

std::uint64_t pool_size(const PoolConfig& pool);
std::string pool_value(const PoolConfig& pool, std::uint64_t index);

// Takes the next free value of `pool` for the resource item `owner` of order `order_id`;
// nullopt when every value is taken.
std::optional<std::string> allocate(UnitOfWork& work, const PoolConfig& pool, const std::string& order_id,
                                    const std::string& owner);
// Gives a value back (nothing when it was not allocated).
void release(UnitOfWork& work, const std::string& pool, const std::string& value);

} // namespace tmfd::ordering
