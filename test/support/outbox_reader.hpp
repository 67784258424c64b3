#pragma once
// The tmfd_outbox table of a tmfd under test, read straight from its SQLite file (read-only), and
// a check of one event row against the TMF event envelope and the spec.
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "tmfd_process.hpp"

namespace tmfd::test {

// One row of tmfd_outbox (NULL columns as "").
struct OutboxRow {
  std::string event_id, event_type, domain, resource_type, resource_id, correlation_id, payload;
};

// Every outbox row of the database at `database_path` in commit order (seq), only those of
// `resource_id` if it is not empty.
std::vector<OutboxRow> read_outbox(const std::string& database_path, const std::string& resource_id = {});

// read_outbox() of the process's database.
std::vector<OutboxRow> read_outbox(const TmfdProcess& p, const std::string& resource_id = {});

// The event types of `rows`, in order.
std::vector<std::string> event_types(const std::vector<OutboxRow>& rows);

// What an outbox row is about: the event domain (the API's short name), the resource's collection
// (also its key inside the payload's "event"), and the swagger file defining its events.
struct EventSource {
  std::string domain, collection, spec_file;
};

// Checks an outbox row about resource `id`: its columns, the TMF event envelope of its payload,
// the resource under the collection's key (equal to `*resource` if given), the event type one
// the spec defines, and the payload valid against that definition.
void check_outbox_event(const OutboxRow& row, const EventSource& source, const std::string& id,
                        const boost::json::object* resource = nullptr);

} // namespace tmfd::test
