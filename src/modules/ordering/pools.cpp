#include "pools.hpp"

#include <charconv>
#include <stdexcept>

#include "json_fields.hpp"
#include "order_paths.hpp"

namespace tmfd::ordering {

namespace {

struct Ipv4Network {
  std::uint32_t base = 0;
  int prefix = 0;
};

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t out = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || value > 255 || end == text.data()) return std::nullopt;
    out = (out << 8) | value;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (part < 3) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return out;
}

std::optional<Ipv4Network> parse_cidr(const std::string& cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto address = parse_ipv4(std::string_view(cidr).substr(0, slash));
  int prefix = -1;
  auto tail = std::string_view(cidr).substr(slash + 1);
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), prefix);
  if (!address || ec != std::errc() || end != tail.data() + tail.size() || prefix < 8 || prefix > 32) return std::nullopt;
  const std::uint32_t mask = prefix == 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
  return Ipv4Network{*address & mask, prefix};
}

std::optional<std::uint64_t> parse_number(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string format_ipv4(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." + std::to_string((a >> 8) & 255) + "." +
         std::to_string(a & 255);
}

} // namespace

void check_pool(const PoolConfig& pool, const std::string& at) {
  if (!pool.cidr.empty()) {
    if (!pool.first.empty() || !pool.last.empty()) throw std::invalid_argument(at + ": give either cidr or first and last");
    if (!parse_cidr(pool.cidr)) throw std::invalid_argument(at + ".cidr: '" + pool.cidr + "' is not an IPv4 network a.b.c.d/8..32");
    return;
  }
  auto first = parse_number(pool.first), last = parse_number(pool.last);
  if (!first || !last) throw std::invalid_argument(at + ": needs cidr, or first and last as decimal numbers of at most 18 digits");
  if (pool.first.size() != pool.last.size()) throw std::invalid_argument(at + ": first and last must have as many digits");
  if (*first > *last) throw std::invalid_argument(at + ": first is after last");
}

std::uint64_t pool_size(const PoolConfig& pool) {
  if (!pool.cidr.empty()) {
    auto net = *parse_cidr(pool.cidr);
    const std::uint64_t all = std::uint64_t{1} << (32 - net.prefix);
    return net.prefix >= 31 ? all : all - 2;  // no network or broadcast address below /31
  }
  return *parse_number(pool.last) - *parse_number(pool.first) + 1;
}

std::string pool_value(const PoolConfig& pool, std::uint64_t index) {
  if (!pool.cidr.empty()) {
    auto net = *parse_cidr(pool.cidr);
    const std::uint32_t offset = net.prefix >= 31 ? 0u : 1u;
    return format_ipv4(net.base + offset + static_cast<std::uint32_t>(index));
  }
  std::string digits = std::to_string(*parse_number(pool.first) + index);
  // Keep the width of the range (leading zeros).
  if (digits.size() < pool.first.size()) digits.insert(0, pool.first.size() - digits.size(), '0');
  return digits;
}

PoolCursors::Cursor& PoolCursors::cursor(UnitOfWork& work, const std::string& pool) {
  auto [it, fresh] = cursors_.try_emplace(pool);
  if (fresh)
    if (const auto stored = work.get(kPoolCursors, pool)) {
      it->second.stored = true;
      const auto body = parse_object(stored->body);
      if (const auto* v = body.if_contains("next"); v && v->is_int64()) it->second.next = static_cast<std::uint64_t>(v->as_int64());
    }
  return it->second;
}

std::optional<std::string> PoolCursors::allocate(UnitOfWork& work, const PoolConfig& pool, const std::string& order_id,
                                                 const std::string& owner) {
  std::lock_guard lock(mutex_);
  Cursor& at = cursor(work, pool.name);
  const std::uint64_t size = pool_size(pool);
  for (std::uint64_t tried = 0; tried < size; ++tried) {
    const std::uint64_t index = (at.next + tried) % size;
    const std::string value = pool_value(pool, index);
    const std::string id = pool.name + ":" + value;
    if (work.get(kAllocations, id)) continue;
    auto created = work.create(kAllocations, json::object{{"id", id}, {"pool", pool.name}, {"value", value},
                                                          {"productOrderId", order_id}, {"owner", owner}});
    if (!created.ok()) throw std::runtime_error("allocation " + id + " refused: " + created.error->detail());
    at.next = (index + 1) % size;
    // A unit that rolls back leaves the cursor ahead: the values it skips are found on a later pass.
    if (++at.unsaved >= kSaveEvery || !at.stored) {
      const json::object position{{"next", static_cast<std::int64_t>(at.next)}};
      const ChangeResult saved = at.stored ? work.merge_patch(kPoolCursors, pool.name, position)
                                           : work.create(kPoolCursors, json::object{{"id", pool.name}, {"next", position.at("next")}});
      if (!saved.ok()) throw std::runtime_error("pool cursor " + pool.name + " not saved");
      at.stored = true;
      at.unsaved = 0;
    }
    return value;
  }
  return std::nullopt;
}

void release(UnitOfWork& work, const std::string& pool, const std::string& value) {
  const std::string id = pool + ":" + value;
  if (work.get(kAllocations, id)) work.remove(kAllocations, id);
}

} // namespace tmfd::ordering
