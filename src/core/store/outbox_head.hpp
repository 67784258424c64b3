#pragma once
// The outbox's last sequence, on databases of either shape.
//
// Databases made before this version number outbox rows with AUTOINCREMENT: SQLite keeps the
// last number in sqlite_sequence, and updating it was one more row write per event (and one more
// page per commit). Newer databases leave it out: a row's seq is the largest so far plus one, and
// pruning never deletes the newest row (delivery/hub_store.cpp), so a number is never handed out
// twice, across restarts too.
#include <cstdint>

#include "store/sqlite.hpp"

namespace tmfd::store {

// The last sequence ever assigned (pruning does not lower it); 0 on a new database.
std::int64_t outbox_head_sequence(Connection& conn);

} // namespace tmfd::store
