#pragma once
// Units of work: several changes to resources of any kinds, committed together or not at all.
//
// A module hands the kernel a function; the kernel runs it on the store's writer thread inside
// one transaction, with a UnitOfWork through which the function reads (seeing its own changes)
// and writes. Every change gets the rules a REST call gets (mandatory and typed attributes,
// immutable ones, lifecycle transitions, hooks, size limit) and writes the same events. A change
// the rules refuse is reported as a typed ChangeResult and leaves nothing behind; the function
// decides whether the unit goes on. If the function throws, nothing of the unit is kept.
//
// Hooks (ResourceHooks::check_in_transaction, before_delete) receive the UnitOfWork of the change
// they check, so a hook can change other resources in the same transaction.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <tmfd/context.hpp>
#include <tmfd/error.hpp>
#include <tmfd/event.hpp>
#include <tmfd/json.hpp>
#include <tmfd/resource_reads.hpp>

namespace tmfd {

enum class ChangeOutcome {
  Created,          // a new resource was written
  Updated,          // the resource changed (new version)
  Unchanged,        // a patch that changed nothing: no write, no event
  Deleted,
  AlreadyExists,    // create with an id that exists: nothing written, the stored resource returned
                    // (a repeated step with a client-chosen id is idempotent)
  NotFound,         // patch or delete of a resource that does not exist
  VersionMismatch,  // the expected version is not the stored one
  IllegalTransition,  // a state (the resource's or an item's) may not move that way (409)
  Invalid,          // the change breaks a rule (400/413/422: mandatory, type, lifecycle, hook)
  Conflict,         // refused because of other resources (409, e.g. still referenced)
};

struct ChangeResult {
  ChangeOutcome outcome = ChangeOutcome::Invalid;
  std::string body;           // the resource after the change (the removed one for Deleted;
                              // the stored one for AlreadyExists and Unchanged); empty on refusal
  std::int64_t version = 0;   // its version (0 on refusal and Deleted)
  std::optional<ApiError> error;  // why it was refused, as REST would have answered

  // Created, Updated, Unchanged, Deleted and AlreadyExists: the resource is as asked.
  bool ok() const noexcept { return !error.has_value(); }
  json::object resource() const;  // body parsed; throws std::logic_error when empty
};

// Options of UnitOfWork::create.
struct CreateOptions {
  // The resource keeps the "id" it carries (a module chooses it, e.g. derived from the order
  // item it fulfils), so that running the same step twice finds it instead of creating twice.
  // Without an id in the body the server assigns one, as for REST.
  bool keep_id = true;
};

// A creation prepared before its unit of work runs (Resources::prepare_create): the resource
// completed (id, href, dates, initial state), validated, serialized and its create event built,
// on the caller's thread. The unit of work then only checks what needs the stored state (a kept
// id that exists, hooks that read) and writes, so the writer, which every write shares, does
// less. A body that is refused is kept as the refusal, which UnitOfWork::create(prepared)
// reports like any other. Opaque; copies share the same preparation.
struct PreparedCreateState;
struct PreparedCreate {
  std::shared_ptr<const PreparedCreateState> state;
};

class UnitOfWork : public TransactionReader {
public:
  // Who asked, under which correlation id. Recorded on every change's event.
  virtual const RequestContext& context() const = 0;

  // Reads (TransactionReader::get, count, is_external) see the unit's own changes; so does list.
  // `query` uses the TMF630 syntax; bodies are projected as the REST list projects them.
  virtual ListPage list(const std::string& collection_path, const std::string& query) = 0;

  virtual ChangeResult create(const std::string& collection_path, json::object body,
                              CreateOptions options = {}) = 0;
  // The same for a creation prepared with Resources::prepare_create (with this unit's context:
  // the event carries the context it was prepared with). Same outcomes; use one preparation once.
  virtual ChangeResult create(const PreparedCreate& prepared) = 0;
  // A JSON merge patch (RFC 7386), with the REST rules. `expected_version`: the change is refused
  // with VersionMismatch unless the stored version is this one (REST's If-Match).
  virtual ChangeResult merge_patch(const std::string& collection_path, const std::string& id,
                                   json::object patch,
                                   std::optional<std::int64_t> expected_version = std::nullopt) = 0;
  // A JSON Patch (RFC 6902): an array of operations.
  virtual ChangeResult json_patch(const std::string& collection_path, const std::string& id,
                                  json::array operations,
                                  std::optional<std::int64_t> expected_version = std::nullopt) = 0;
  virtual ChangeResult remove(const std::string& collection_path, const std::string& id,
                              std::optional<std::int64_t> expected_version = std::nullopt) = 0;

  // Writes an event the kind does not write by itself (e.g. ProductOrderJeopardyEvent,
  // ...MilestoneEvent) for a stored resource, with the standard TMF event envelope and the
  // resource as it is now in this unit. Throws ApiError 404 when the resource does not exist.
  virtual void emit_event(const std::string& collection_path, const std::string& id,
                          const std::string& event_type) = 0;

  // Durable timers (tmfd/reactions.hpp). Scheduling stores the timer with this unit: it fires
  // only if the unit commits. Scheduling an id that exists replaces that timer (a repeated step
  // schedules once). `handler` names a TimerHandler; `payload` is given back when it fires.
  virtual void schedule_timer(const std::string& id, const std::string& handler,
                              std::chrono::system_clock::time_point due, json::object payload = {}) = 0;
  // Returns false when no such timer is pending (it fired, or never was).
  virtual bool cancel_timer(const std::string& id) = 0;
};

// How a unit of work ended.
struct UnitOfWorkResult {
  bool committed = false;
  // Why it was not: what the function threw (an ApiError as is; anything else as a 500 error,
  // logged), or the store's fault (503/507) when the commit failed.
  std::optional<ApiError> error;
};

using UnitOfWorkFunction = std::function<void(UnitOfWork&)>;

// A named operation on one resource beyond CRUD, served as POST {collection}/{id}/{name} (e.g. a
// hold or a retry of an order). See Resources::add_action.
struct ActionResult {
  int status = 200;
  std::string body;  // JSON text; empty with 204
};
struct ResourceAction {
  std::string name;  // the last path segment, e.g. "hold"
  // Runs in a unit of work with the request's context: `resource` is the stored resource (the
  // engine answers 404 before when it does not exist), `request` the JSON body (empty when none
  // was sent). Throw ApiError to refuse: nothing of the unit is kept.
  std::function<ActionResult(const StoredResource& resource, const json::object& request, UnitOfWork& work)> handler;
};

} // namespace tmfd
