#pragma once
// A resource kind is what a module declares to get a whole TMF630 REST API for it: list, get,
// create, patch and delete, filtering, projection, sorting, paging, optimistic concurrency,
// lifecycle checks and events. Adding an API is declaring its kinds and, where the domain needs
// it, adding hooks.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tmfd/event.hpp>
#include <tmfd/json.hpp>

namespace tmfd {

enum class AttributeType { String, DateTime, Boolean, Integer, Number, Object, Array };

struct Attribute {
  std::string name;
  AttributeType type = AttributeType::String;
};

struct Lifecycle {
  std::string field;                                          // e.g. "status"
  std::string initial;                                        // set on create when absent
  std::vector<std::string> states;                            // the legal values
  std::vector<std::pair<std::string, std::string>> transitions;  // allowed from -> to
  // Values accepted on input and stored as the intended one (published spec defects, e.g.
  // TMF632's "deceaded" for "deceased").
  std::vector<std::pair<std::string, std::string>> aliases;
};

struct EventNames {
  std::string create;                 // empty: the API defines no such event
  std::string attribute_value_change;
  std::string state_change;
  std::string remove;
};

// The four events most TMF v4 APIs define for a resource: <Type>CreateEvent,
// <Type>AttributeValueChangeEvent, <Type>StateChangeEvent, <Type>DeleteEvent.
EventNames standard_events(const std::string& type);

// The REST operations a kind serves; a kind without PATCH (e.g. TMF620 importJob) leaves it out.
struct Operations {
  bool list = true;
  bool get = true;
  bool create = true;
  bool patch = true;
  bool remove = true;
};

class TransactionReader;

struct ResourceKind {
  std::string api;                    // short API name: event domain and metrics label, e.g. "party"
  std::string base_path;              // e.g. /tmf-api/party/v4
  std::string collection;             // e.g. individual
  std::string type;                   // default @type, e.g. Individual
  std::vector<std::string> mandatory; // checked on create
  std::vector<Attribute> attributes;  // top-level attributes whose JSON type is checked
  std::vector<std::string> immutable; // refused on PATCH (id and href always are)
  std::vector<std::string> indexed;   // string attributes (dotted paths) filtered often
  std::optional<Lifecycle> lifecycle;
  EventNames events;
  std::string last_update_field;      // server-set on every write, e.g. "lastModified"; empty: none
  std::string created_field;          // server-set on create; empty: none
  Operations operations;
};

// Module hooks. Each may throw ApiError to refuse the request; nothing is written then.
struct ResourceHooks {
  // Called on create and on patch (after the patch is applied), with the full new resource.
  // `previous` is null on create. May add or change attributes.
  std::function<void(json::object& resource, const json::object* previous)> validate;
  // Called inside the write transaction, after every other check, with a reader that sees the
  // transaction's own changes: the place for reference integrity (does what this points to
  // exist?). `previous` is null on create.
  std::function<void(const json::object& resource, const json::object* previous, TransactionReader& reader)>
      check_in_transaction;
  // Called inside the delete's transaction with the resource about to go (e.g. refuse with 409
  // while something still refers to it).
  std::function<void(const json::object& resource, TransactionReader& reader)> before_delete;
  // The path of a new resource below the public base URL, for its href and Location, when it is
  // not `{base_path}/{collection}/{id}` (e.g. TMF688's /topic/{topicId}/event/{id}). Called on
  // create with the resource (id set).
  std::function<std::string(const json::object& resource)> path_of;
  // Events to write in the create's transaction besides the kind's own create event (e.g. TMF688
  // publishes the created event to its topic). The engine assigns nothing: fill every field.
  std::function<std::vector<Event>(const json::object& resource)> events_on_create;
};

} // namespace tmfd
