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

#include <tmfd/context.hpp>
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

// The state of each element of an array attribute (e.g. TMF622 productOrderItem[].state), checked
// against its own lifecycle: an element gets `initial` when created without a state, and changes
// state only along `transitions`. Elements are matched across versions by their "id".
struct ItemLifecycle {
  std::string array;     // the array attribute, e.g. "productOrderItem"
  Lifecycle lifecycle;   // its `field` is the element's state attribute, e.g. "state"
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
class UnitOfWork;

// Who sees a kind. Internal kinds hold a module's own state (a fulfilment plan, an allocation):
// stored, indexed, queried and written in units of work like any kind, but without REST routes,
// hubs, API index entries or events leaving the process (hubs, event streams such as Kafka).
enum class Exposure {
  Rest,           // the TMF REST API under base_path
  Internal,       // no routes at all
  AdminReadOnly,  // internal, with GET list and GET by id under /admin{base_path}/{collection}
};

// A subclass of a kind that its API also serves at a path of its own (TMF639's
// /physicalResource and /logicalResource, both Resources): the same stored resources, those whose
// @type is `type`. That path lists, reads, changes and deletes only those (others answer 404 as
// if they did not exist); a POST there creates one (@type set to `type`; another @type is
// refused), and its href names that path. Every change of such a resource, whichever path made
// it, is announced with the kind's events and also with the subtype's own when `events` names
// them (empty names: none).
struct Subtype {
  std::string collection;  // e.g. physicalResource
  std::string type;        // e.g. PhysicalResource
  EventNames events;
  // Set: the attributes a resource of this type must have, instead of the kind's `mandatory`.
  std::optional<std::vector<std::string>> mandatory;
};

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
  std::vector<ItemLifecycle> item_lifecycles;
  EventNames events;
  std::string last_update_field;      // server-set on every write, e.g. "lastModified"; empty: none
  std::string created_field;          // server-set on create; empty: none
  Operations operations;
  Exposure exposure = Exposure::Rest;
  std::vector<Subtype> subtypes;      // served at base_path/<collection> too (REST kinds only)
};

// Module hooks. Each may throw ApiError to refuse the request; nothing is written then.
struct ResourceHooks {
  // Called on create and on patch (after the patch is applied), with the full new resource.
  // `previous` is null on create. May add or change attributes.
  std::function<void(json::object& resource, const json::object* previous)> validate;
  // Called inside the write transaction, after every other check, with the unit of work of the
  // change (tmfd/unit_of_work.hpp): its reads see the transaction's own changes, which makes it
  // the place for reference integrity (does what this points to exist?), and its writes commit
  // with the change or not at all. `previous` is null on create. A hook written against the
  // older TransactionReader& parameter still compiles: UnitOfWork is one.
  std::function<void(const json::object& resource, const json::object* previous, UnitOfWork& work)>
      check_in_transaction;
  // Called inside the delete's transaction with the resource about to go (e.g. refuse with 409
  // while something still refers to it).
  std::function<void(const json::object& resource, UnitOfWork& work)> before_delete;
  // The path of a new resource below the public base URL, for its href and Location, when it is
  // not `{base_path}/{collection}/{id}` (e.g. TMF688's /topic/{topicId}/event/{id}). Called on
  // create with the resource (id set).
  std::function<std::string(const json::object& resource)> path_of;
  // Events to write in the create's transaction besides the kind's own create event (e.g. TMF688
  // publishes the created event to its topic). The engine assigns nothing: fill every field.
  // `context` is the change's (its correlation id belongs in the events' correlationId).
  std::function<std::vector<Event>(const json::object& resource, const RequestContext& context)> events_on_create;
};

} // namespace tmfd
