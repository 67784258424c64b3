#pragma once
// The kernel's tables for durable reactions and timers (tmfd/reactions.hpp), and the row
// operations on them. Modules never see these tables: they schedule timers through a unit of work
// and read dead letters through the admin API.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace tmfd::store {

// Applied as the kernel's own migrations ("tmfd.reactions").
const std::vector<std::string>& reaction_migrations();

// Handled-event markers: written in the unit of work of the handler, so "handled" and the
// handler's changes commit together.
bool reaction_handled(Connection& conn, const std::string& reaction, std::int64_t sequence);
void mark_reaction_handled(Connection& conn, const std::string& reaction, std::int64_t sequence);
// Markers at or below the reaction's stored cursor are no longer needed: the cursor covers them.
void forget_handled_upto(Connection& conn, const std::string& reaction, std::int64_t sequence);

struct DeadLetter {
  std::string owner;          // reaction name, or timer handler name
  std::string key;            // event sequence (reactions) or timer id (timers)
  std::string event_type;     // reactions: the event's type; timers: empty
  std::string resource;       // reactions: domain/collection/id; timers: empty
  std::string payload;        // the event or the timer payload, as JSON text
  std::string correlation_id;
  std::string error;          // what the last attempt threw
  int attempts = 0;
  std::string parked_at;      // ISO 8601 UTC, set by the caller
};
enum class DeadLetterKind { Reaction, Timer };
void park_dead_letter(Connection& conn, DeadLetterKind kind, const DeadLetter& letter);
std::vector<DeadLetter> dead_letters(Connection& conn, DeadLetterKind kind, const std::string& owner,
                                     std::size_t offset, std::size_t limit);
std::size_t dead_letter_count(Connection& conn, DeadLetterKind kind, const std::string& owner);

struct TimerRow {
  std::string id;
  std::string handler;
  std::int64_t due_ms = 0;   // Unix milliseconds
  std::string payload;       // JSON object text
  int attempts = 0;          // firings that threw so far
  std::string correlation_id;
};
// Inserts or replaces the timer `row.id`.
void store_timer(Connection& conn, const TimerRow& row);
bool delete_timer(Connection& conn, const std::string& id);
std::optional<TimerRow> read_timer(Connection& conn, const std::string& id);
// Timers due at or before `now_ms`, earliest first.
std::vector<TimerRow> due_timers(Connection& conn, std::int64_t now_ms, std::size_t limit);
// The earliest due time of any pending timer.
std::optional<std::int64_t> next_timer_due(Connection& conn);
// A firing threw: counts the attempt and moves the due time to the retry.
void reschedule_timer(Connection& conn, const std::string& id, std::int64_t due_ms, int attempts);

} // namespace tmfd::store
