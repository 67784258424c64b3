#pragma once
// Reading the outbox table (written by WriteTxn::emit) in sequence order, for durable consumers.
#include <cstdint>
#include <string>
#include <vector>

#include <tmfd/event.hpp>

#include "store/sqlite.hpp"

namespace tmfd::delivery {

struct OutboxEntry {
  Event event;
  std::int64_t committed_ms = 0;  // when the event was committed, Unix milliseconds
};

// Entries with `after` < sequence <= `durable`, oldest first, at most `limit`. `durable` is
// Database::durable_sequence(): later entries may be committed but not yet on disk, and nothing
// leaves tmfd before it is.
std::vector<OutboxEntry> read_outbox_after(store::Connection& conn, std::int64_t after, std::int64_t durable,
                                           std::size_t limit);
// Which entries a consumer wants, so that the others are skipped inside SQLite (their payloads are
// never copied out): a reaction on order creations reads one event in twenty.
struct OutboxSelection {
  std::vector<std::string> event_types;  // empty: every type
  bool include_internal = true;          // internal kinds' events (the modules' bookkeeping)
};
struct OutboxRead {
  std::vector<OutboxEntry> entries;
  // Every entry up to here was read or skipped: where the next read starts.
  std::int64_t read_upto = 0;
};
// Like read_outbox_after, returning only the entries `selection` wants.
OutboxRead read_outbox_selected(store::Connection& conn, std::int64_t after, std::int64_t durable, std::size_t limit,
                                const OutboxSelection& selection);
// The last sequence ever assigned (pruning does not lower it); 0 on a new database.
std::int64_t outbox_head(store::Connection& conn);
// One less than the oldest sequence still in the outbox (the head when it is empty).
std::int64_t outbox_before_oldest(store::Connection& conn);

// The delivery tables, applied as the kernel's own migrations.
const std::vector<std::string>& delivery_migrations();

} // namespace tmfd::delivery
