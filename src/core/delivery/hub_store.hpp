#pragma once
// SQL of hub subscriptions, cursors and dead letters. Writes run inside write jobs (on the
// writer connection); reads on the calling thread's reader connection.
#include <cstdint>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

#include "delivery/hub_record.hpp"
#include "delivery/outbox_log.hpp"
#include "store/sqlite.hpp"

namespace tmfd::delivery::hub_store {

// Every stored hub, with its count of dead letters.
std::vector<std::pair<HubRecord, std::uint64_t>> load_all(store::Connection& reader);

// Inserts the hub with its cursor at the outbox head: it receives what commits after it.
void insert(store::Connection& writer, HubRecord& hub);
void remove(store::Connection& writer, const std::string& hub_id);
std::vector<std::string> ids_of_topic(store::Connection& reader, const std::string& topic);
void store_cursor(store::Connection& writer, const std::string& hub_id, std::int64_t cursor);
void add_dead_letter(store::Connection& writer, const std::string& hub_id, const OutboxEntry& entry,
                     int attempts, const std::string& last_error);
// A page of a hub's dead letters, oldest first, and their total.
json::array dead_letters(store::Connection& reader, const std::string& hub_id, std::size_t offset,
                         std::size_t limit, std::size_t& total);

// Replays. Moves the hub's dead letters with first <= seq <= last into the replay queue (gone
// from the dead-letter list) and returns their sequences, oldest first.
std::vector<std::int64_t> request_replay(store::Connection& writer, const std::string& hub_id, std::int64_t first,
                                         std::int64_t last, const std::string& correlation_id,
                                         std::int64_t requested_ms);
// The hub's queued replays, oldest first, at most `limit`: as outbox entries committed when the
// replay was requested.
std::vector<OutboxEntry> replays(store::Connection& reader, const std::string& hub_id, std::size_t limit);
// Replays that were delivered or dead-lettered again.
void finish_replays(store::Connection& writer, const std::string& hub_id, const std::vector<std::int64_t>& seqs);

// Named consumers (event streams).
bool load_consumer_cursor(store::Connection& reader, const std::string& name, std::int64_t& cursor);
void store_consumer_cursor(store::Connection& writer, const std::string& name, std::int64_t cursor);

// Deletes outbox entries up to `sequence`, except the newest entry; returns how many went.
std::int64_t prune_outbox(store::Connection& writer, std::int64_t sequence);

} // namespace tmfd::delivery::hub_store
