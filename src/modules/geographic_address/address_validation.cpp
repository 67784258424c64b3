#include "address_validation.hpp"

#include <random>

#include <tmfd/error.hpp>
#include <tmfd/log.hpp>
#include <tmfd/query.hpp>

#include "address_kinds.hpp"
#include "address_matching.hpp"

namespace tmfd::geographic_address {

namespace {

// Addresses are read a page at a time so that a large address book is never one huge answer.
constexpr std::size_t kPageSize = 500;

std::vector<json::object> stored_addresses(Resources& resources) {
  std::vector<json::object> out;
  for (std::size_t offset = 0;; offset += kPageSize) {
    ListPage page = resources.list(kAddresses, "offset=" + std::to_string(offset) + "&limit=" + std::to_string(kPageSize));
    for (const auto& body : page.bodies) out.push_back(parse_object(body));
    if (page.bodies.size() < kPageSize || offset + kPageSize >= page.total) break;
  }
  return out;
}

// Runs on create (the I/O thread): the client's own result attributes are replaced.
void run_validation(json::object& task, Resources& resources, const ValidationOptions& options) {
  for (const char* computed : {"validationResult", "validGeographicAddress", "alternateGeographicAddress"})
    task.erase(computed);
  task["validationDate"] = now_timestamp();
  const json::object& submitted = task.at("submittedGeographicAddress").as_object();
  for (const auto& a : compared_attributes())
    if (const json::value* v = submitted.if_contains(a); v && !v->is_string() && !v->is_null())
      throw ApiError::invalid_attribute("submittedGeographicAddress." + a, "must be a string");
  // A submission that names no street, locality, city or postcode is well formed but cannot be
  // looked up: the task ends in error rather than claiming the address does not exist.
  if (!locatable(submitted)) {
    task["state"] = "terminatedWithError";
    return;
  }
  const bool want_alternates = task.at("provideAlternative").as_bool();
  Outcome outcome = compare(submitted, stored_addresses(resources), want_alternates ? options.max_alternates : 0);
  task["state"] = "done";
  task["validationResult"] = to_string(outcome.verdict);
  if (outcome.valid) task["validGeographicAddress"] = std::move(*outcome.valid);
  if (want_alternates && outcome.verdict != Verdict::success) {
    json::array alternates;
    for (auto& a : outcome.alternates) alternates.emplace_back(std::move(a));
    task["alternateGeographicAddress"] = std::move(alternates);
  }
}

std::string new_event_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t hi = random(), lo = random();
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    const std::uint64_t word = i < 16 ? hi : lo;
    s += hex[(word >> (4 * (15 - i % 16))) & 15];
    if (i == 7 || i == 11 || i == 15 || i == 19) s += '-';
  }
  s[14] = '4';                      // version 4 (random)
  s[19] = hex[8 + (lo >> 62)];      // variant 10xx
  return s;
}

// The task moved from inProgress to its final state within the POST: that is the state change
// TMF673 announces (it defines no create event), written in the create's transaction.
std::vector<Event> announce_final_state(const json::object& task, const RequestContext& context) {
  Event e;
  e.event_id = new_event_id();
  e.event_type = "GeographicAddressValidationStateChangeEvent";
  e.domain = kApi;
  e.resource_type = "geographicAddressValidation";
  e.resource_id = std::string(task.at("id").as_string());
  e.correlation_id = context.correlation_id;
  const std::string now = now_timestamp();
  json::object body{{"eventId", e.event_id},
                    {"eventTime", now},
                    {"eventType", e.event_type},
                    {"correlationId", e.correlation_id},
                    {"domain", e.domain},
                    {"title", e.event_type},
                    {"description", e.event_type + " for GeographicAddressValidation " + e.resource_id},
                    {"priority", "Normal"},
                    {"timeOcurred", now},
                    {"event", json::object{{"geographicAddressValidation", task}}}};
  e.payload = json::serialize(body);
  return {std::move(e)};
}

} // namespace

ResourceHooks validation_hooks(Resources& resources, ValidationOptions options) {
  ResourceHooks hooks;
  hooks.validate = [&resources, options](json::object& task, const json::object* previous) {
    if (!previous) run_validation(task, resources, options);
  };
  hooks.events_on_create = announce_final_state;
  return hooks;
}

} // namespace tmfd::geographic_address
