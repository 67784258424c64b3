#include "store/outbox_head.hpp"

#include <algorithm>

namespace tmfd::store {

std::int64_t outbox_head_sequence(Connection& conn) {
  std::int64_t head = 0;
  {
    auto& newest = conn.prepare("SELECT max(seq) FROM tmfd_outbox");
    StatementUse use(newest);
    if (newest.step() && !newest.column_is_null(0)) head = newest.column_int(0);
  }
  // sqlite_sequence exists only in a database with an AUTOINCREMENT table (an older outbox): its
  // figure survives the pruning of every row.
  bool has_sequence_table = false;
  {
    auto& exists = conn.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='sqlite_sequence'");
    StatementUse use(exists);
    has_sequence_table = exists.step();
  }
  if (has_sequence_table) {
    auto& sequence = conn.prepare("SELECT seq FROM sqlite_sequence WHERE name='tmfd_outbox'");
    StatementUse use(sequence);
    if (sequence.step()) head = std::max(head, sequence.column_int(0));
  }
  return head;
}

} // namespace tmfd::store
