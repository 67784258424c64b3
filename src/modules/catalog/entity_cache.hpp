#pragma once
// The catalog entities the query service has read, kept parsed in memory: ordering reads the same
// offering and specifications for every order (and inventory checks them for every record it
// makes), which would otherwise be a store read and a JSON parse each time. Catalog entities
// change rarely; every catalog event drops the entity it names.
//
// A read that raced with a change must not put the old version back after the change's event
// dropped it: an entry is kept only if no catalog event arrived while it was being read.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <tmfd/json.hpp>

namespace tmfd::catalog {

class EntityCache {
public:
  static constexpr std::size_t kMaxEntries = 20000;

  // The cached entity of `collection`/`id`, or null.
  std::shared_ptr<const json::object> find(const std::string& collection, const std::string& id) const;
  // What a reader must pass to keep(): the count of catalog events so far.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Keeps an entity read after generation() returned `read_at`, unless a catalog event came since.
  void keep(const std::string& collection, const std::string& id, std::shared_ptr<const json::object> entity,
            std::uint64_t read_at);
  // A catalog entity changed (or was created or deleted).
  void drop(const std::string& collection, const std::string& id);

private:
  static std::string key(const std::string& collection, const std::string& id) { return collection + '\n' + id; }
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const json::object>> entries_;
  std::atomic<std::uint64_t> generation_{0};
};

} // namespace tmfd::catalog
