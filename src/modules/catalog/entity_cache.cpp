#include "entity_cache.hpp"

namespace tmfd::catalog {

std::shared_ptr<const json::object> EntityCache::find(const std::string& collection, const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key(collection, id));
  return it == entries_.end() ? nullptr : it->second;
}

void EntityCache::keep(const std::string& collection, const std::string& id, std::shared_ptr<const json::object> entity,
                       std::uint64_t read_at) {
  std::lock_guard lock(mutex_);
  // Checked under the lock that drop() takes too: a drop either came before (and is seen here)
  // or comes after (and removes this entry).
  if (generation_.load(std::memory_order_acquire) != read_at) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();  // a catalog larger than this: start over
  entries_[key(collection, id)] = std::move(entity);
}

void EntityCache::drop(const std::string& collection, const std::string& id) {
  std::lock_guard lock(mutex_);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  entries_.erase(key(collection, id));
}

} // namespace tmfd::catalog
