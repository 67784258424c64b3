// A module built only for tests that uses every stateful SDK feature, so the integration tests
// drive them through the real binary: units of work (typed outcomes, expected versions, client
// ids, reads of the unit's own changes, rollback), hooks that write, internal and admin-read-only
// kinds, durable reactions (retries, dead letters, crashes), durable timers and custom events.
//
// Its REST surface (under /tmf-api/stateful/v1):
//   order            a public kind (lifecycle acknowledged -> inProgress -> completed); creating
//                    one writes a ledger entry in the same transaction (check_in_transaction)
//   POST unitOfWork  runs {"changes":[...], "throwAfter": n} as one unit and answers each
//                    change's outcome (see run_changes); op "preparedCreate" is a create
//                    prepared with Resources::prepare_create before the unit runs
//   POST order/{id}/reminder?inMs=N   schedules the timer "reminder-<id>"; DELETE cancels it
// Internal state: ledger (admin read-only at /admin/internal/stateful/ledger), note (internal).
// The reaction "order-created" writes ledger entry "reaction-<order id>" for every OrderCreateEvent.
// An order's attributes steer the reaction and the timer for the tests:
//   reactionFailures: n   the reaction throws on its first n attempts (counted in the ledger)
//   crashInReaction: true the process dies (_exit) inside the reaction's first attempt, once
//                         per marker file in $TMFD_TEST_CRASH_DIR
//   timerFails: true      the reminder's handler always throws
#include <unistd.h>

#include <map>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/module.hpp>
#include <tmfd/plugin.hpp>
#include <tmfd/unit_of_work.hpp>

namespace {

using namespace tmfd;

const std::string kBase = "/tmf-api/stateful/v1";
const std::string kOrders = kBase + "/order";
const std::string kLedger = "/internal/stateful/ledger";
const std::string kNotes = "/internal/stateful/note";

std::string str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const char* outcome_name(ChangeOutcome o) {
  switch (o) {
  case ChangeOutcome::Created: return "created";
  case ChangeOutcome::Updated: return "updated";
  case ChangeOutcome::Unchanged: return "unchanged";
  case ChangeOutcome::Deleted: return "deleted";
  case ChangeOutcome::AlreadyExists: return "alreadyExists";
  case ChangeOutcome::NotFound: return "notFound";
  case ChangeOutcome::VersionMismatch: return "versionMismatch";
  case ChangeOutcome::IllegalTransition: return "illegalTransition";
  case ChangeOutcome::Invalid: return "invalid";
  case ChangeOutcome::Conflict: return "conflict";
  }
  return "?";
}

// A ledger entry: created once (client id), counted on every repeat.
void ledger(UnitOfWork& work, const std::string& id, const std::string& what) {
  json::object entry;
  entry["id"] = id;
  entry["what"] = what;
  entry["principal"] = work.context().principal.subject;
  entry["correlationId"] = work.context().correlation_id;
  auto r = work.create(kLedger, std::move(entry));
  if (!r.ok()) throw std::runtime_error("ledger entry refused: " + std::string(r.error->what()));
}

// Creations of op "preparedCreate", prepared before the unit runs (by index in `changes`).
using Prepared = std::map<std::size_t, PreparedCreate>;

// Runs the changes of a POST unitOfWork body; answers each outcome.
json::array run_changes(const json::array& changes, std::int64_t throw_after, const Prepared& prepared,
                        UnitOfWork& work) {
  json::array outcomes;
  std::int64_t n = 0;
  for (std::size_t index = 0; index < changes.size(); ++index) {
    const auto& c = changes[index];
    if (throw_after >= 0 && n++ == throw_after) throw ApiError::conflict("the unit gave up after " + std::to_string(throw_after) + " changes");
    const auto& change = c.as_object();
    const std::string op = str(change, "op");
    const std::string path = str(change, "path");
    const std::string id = str(change, "id");
    std::optional<std::int64_t> expected;
    if (auto* v = change.if_contains("expectedVersion")) expected = v->to_number<std::int64_t>();
    json::object out;
    out["op"] = op;
    if (op == "read") {  // what the unit sees now, its own changes included
      auto found = work.get(path, id);
      out["found"] = found.has_value();
      if (found) out["body"] = parse_object(found->body);
      out["count"] = work.count(path, str(change, "query"));
      out["listed"] = work.list(path, str(change, "query")).bodies.size();
      outcomes.push_back(std::move(out));
      continue;
    }
    if (op == "event") {
      work.emit_event(path, id, str(change, "eventType"));
      outcomes.push_back(std::move(out));
      continue;
    }
    ChangeResult r;
    if (op == "create") r = work.create(path, change.at("body").as_object());
    else if (op == "preparedCreate") r = work.create(prepared.at(index));
    else if (op == "merge") r = work.merge_patch(path, id, change.at("patch").as_object(), expected);
    else if (op == "jsonPatch") r = work.json_patch(path, id, change.at("patch").as_array(), expected);
    else if (op == "delete") r = work.remove(path, id, expected);
    else throw ApiError::bad_request("unknown op '" + op + "'");
    out["outcome"] = outcome_name(r.outcome);
    out["version"] = r.version;
    if (!r.body.empty()) out["body"] = parse_object(r.body);
    if (r.error) out["error"] = parse_value(r.error->body());
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

class StatefulModule final : public Module {
public:
  void start(ModuleContext& ctx) override {
    resources_ = &ctx.resources();
    ResourceKind order{.api = "stateful", .base_path = kBase, .collection = "order", .type = "Order",
                       .mandatory = {"name"}, .attributes = {{"name", AttributeType::String}},
                       .indexed = {"state"},
                       .lifecycle = Lifecycle{"state", "acknowledged",
                                              {"acknowledged", "inProgress", "completed", "cancelled"},
                                              {{"acknowledged", "inProgress"}, {"inProgress", "completed"},
                                               {"acknowledged", "cancelled"}, {"inProgress", "cancelled"}}, {}},
                       // Each item has its own state, as TMF622 order items do.
                       .item_lifecycles = {{"item", Lifecycle{"state", "pending", {"pending", "done"},
                                                              {{"pending", "done"}}, {}}}},
                       .events = standard_events("Order")};
    ResourceHooks hooks;
    // A hook that writes: the order's ledger entry commits with the order, or neither does.
    hooks.check_in_transaction = [](const json::object& o, const json::object* previous, UnitOfWork& work) {
      if (previous) return;
      if (str(o, "name") == "refuse-in-hook") throw ApiError::conflict("the hook refused after writing");
      ledger(work, "hook-" + str(o, "id"), "order created");
    };
    ctx.resources().add(order, hooks);
    // A task resource, as TMF622 cancelProductOrder: POST-only, it moves through its own states
    // by the module's reaction, never by a client's PATCH.
    ctx.resources().add({.api = "stateful", .base_path = kBase, .collection = "cancelOrder", .type = "CancelOrder",
                         .mandatory = {"orderId"},
                         .lifecycle = Lifecycle{"state", "acknowledged", {"acknowledged", "done", "rejected"},
                                                {{"acknowledged", "done"}, {"acknowledged", "rejected"}}, {}},
                         .events = standard_events("CancelOrder"),
                         .operations = {.list = true, .get = true, .create = true, .patch = false, .remove = false}});
    // An action on an order: POST order/{id}/hold.
    ctx.resources().add_action(kOrders, {"hold", [](const StoredResource& stored, const json::object& request,
                                                    UnitOfWork& work) -> ActionResult {
      auto state = str(parse_object(stored.body), "state");
      if (state == "completed" || state == "cancelled")
        throw ApiError::conflict("a " + state + " order cannot be held");
      json::object patch{{"description", "held: " + str(request, "reason")}};
      auto r = work.merge_patch(kOrders, str(parse_object(stored.body), "id"), std::move(patch), stored.version);
      if (!r.ok()) throw *r.error;
      return {200, r.body};
    }});
    ctx.resources().add({.api = "stateful.internal", .base_path = "/internal/stateful", .collection = "ledger",
                         .type = "LedgerEntry", .indexed = {"what"},
                         .events = {.create = "LedgerEntryCreateEvent"},
                         .exposure = Exposure::AdminReadOnly});
    ctx.resources().add({.api = "stateful.internal", .base_path = "/internal/stateful", .collection = "note",
                         .type = "Note", .exposure = Exposure::Internal});

    ctx.routes().add(http::Method::Post, kBase + "/unitOfWork", [this](http::Request& req, http::Reply reply) {
      auto body = parse_object(req.body);
      auto changes = std::make_shared<json::array>(body.at("changes").as_array());
      std::int64_t throw_after = body.contains("throwAfter") ? body.at("throwAfter").to_number<std::int64_t>() : -1;
      auto outcomes = std::make_shared<json::array>();
      // "preparedCreate" changes are prepared here, on the I/O thread, before the unit runs.
      auto prepared = std::make_shared<Prepared>();
      for (std::size_t i = 0; i < changes->size(); ++i) {
        const auto& change = (*changes)[i].as_object();
        if (str(change, "op") == "preparedCreate")
          (*prepared)[i] = resources_->prepare_create(str(change, "path"), change.at("body").as_object(), req.context);
      }
      resources_->run(req.context,
                      [changes, throw_after, prepared, outcomes](UnitOfWork& work) {
                        *outcomes = run_changes(*changes, throw_after, *prepared, work);
                      },
                      [outcomes, reply](UnitOfWorkResult result) {
                        json::object out;
                        out["committed"] = result.committed;
                        out["outcomes"] = *outcomes;
                        if (result.error) out["error"] = parse_value(result.error->body());
                        reply(http::Response::json(result.committed ? 200 : result.error->http_status(),
                                                   json::serialize(out)));
                      });
    });
    auto reminder = [this](bool cancel) {
      return [this, cancel](http::Request& req, http::Reply reply) {
        const std::string id(req.param("id"));
        std::int64_t in_ms = 0;
        if (auto pos = req.query.find("inMs="); pos != std::string::npos) in_ms = std::stoll(req.query.substr(pos + 5));
        auto cancelled = std::make_shared<bool>(false);
        resources_->run(req.context,
                        [id, in_ms, cancel, cancelled](UnitOfWork& work) {
                          if (!work.get(kOrders, id)) throw ApiError::not_found("no order " + id);
                          if (cancel) {
                            *cancelled = work.cancel_timer("reminder-" + id);
                            return;
                          }
                          json::object payload;
                          payload["orderId"] = id;
                          work.schedule_timer("reminder-" + id, "reminder",
                                              std::chrono::system_clock::now() + std::chrono::milliseconds(in_ms),
                                              std::move(payload));
                        },
                        [reply, cancel, cancelled](UnitOfWorkResult r) {
                          if (!r.committed) return reply(http::Response::json(r.error->http_status(), r.error->body()));
                          reply(http::Response::json(cancel ? (*cancelled ? 204 : 404) : 202, cancel ? "" : "{}"));
                        });
      };
    };
    ctx.routes().add(http::Method::Post, kOrders + "/{id}/reminder", reminder(false));
    ctx.routes().add(http::Method::Delete, kOrders + "/{id}/reminder", reminder(true));

    Reaction on_created;
    on_created.name = "order-created";
    on_created.filter = "eventType=OrderCreateEvent";
    on_created.retry = {3, std::chrono::milliseconds(50), std::chrono::milliseconds(200)};
    on_created.handler = [](const Event& event, UnitOfWork& work) {
      auto order = parse_object(event.payload).at("event").as_object().at("order").as_object();
      const std::string id = str(order, "id");
      if (order.contains("crashInReaction")) crash_once(id);
      if (auto* failures = order.if_contains("reactionFailures")) {
        // Attempts are counted outside the unit (a file): the unit's own writes roll back.
        if (count_attempt(id) <= failures->to_number<std::int64_t>())
          throw std::runtime_error("reaction failure asked for by the order");
      }
      ledger(work, "reaction-" + id, "order " + id + " seen by the reaction");
      // The order moves on in the same unit: a state change, with its event.
      auto moved = work.merge_patch(kOrders, id, json::object{{"state", "inProgress"}}, std::int64_t{1});
      if (!moved.ok()) throw std::runtime_error("order not moved: " + std::string(moved.error->what()));
    };
    ctx.reactions().add(std::move(on_created));

    Reaction on_cancel;
    on_cancel.name = "cancel-order";
    on_cancel.filter = "eventType=CancelOrderCreateEvent";
    on_cancel.handler = [](const Event& event, UnitOfWork& work) {
      auto task = parse_object(event.payload).at("event").as_object().at("cancelOrder").as_object();
      const std::string task_path = kBase + "/cancelOrder";
      json::object progress{{"state", "done"}};
      auto order = work.get(kOrders, str(task, "orderId"));
      const std::string state = order ? str(parse_object(order->body), "state") : std::string();
      if (!order || state == "cancelled" || state == "completed") {
        progress = {{"state", "rejected"}, {"reason", order ? "the order is " + state : "no such order"}};
      } else {
        auto cancelled = work.merge_patch(kOrders, str(task, "orderId"), json::object{{"state", "cancelled"}});
        if (!cancelled.ok()) progress = {{"state", "rejected"}, {"reason", cancelled.error->detail()}};
      }
      auto moved = work.merge_patch(task_path, str(task, "id"), std::move(progress));
      if (!moved.ok()) throw std::runtime_error("task not moved: " + std::string(moved.error->what()));
    };
    ctx.reactions().add(std::move(on_cancel));

    TimerHandler remind;
    remind.name = "reminder";
    remind.retry = {2, std::chrono::milliseconds(50), std::chrono::milliseconds(100)};
    remind.handler = [](const FiredTimer& timer, UnitOfWork& work) {
      const std::string id = str(timer.payload, "orderId");
      auto order = work.get(kOrders, id);
      if (!order) return;
      if (parse_object(order->body).contains("timerFails")) throw std::runtime_error("timer failure asked for");
      ledger(work, "timer-" + id, "reminder fired at attempt " + std::to_string(timer.attempt));
      work.emit_event(kOrders, id, "OrderJeopardyEvent");
    };
    ctx.reactions().add_timer_handler(std::move(remind));
  }

private:
  static std::string marker_path(const std::string& what, const std::string& id) {
    const char* dir = std::getenv("TMFD_TEST_CRASH_DIR");
    return std::string(dir ? dir : "/tmp") + "/" + what + "-" + id;
  }
  static void crash_once(const std::string& id) {
    const auto path = marker_path("crashed", id);
    if (std::ifstream(path).good()) return;
    std::ofstream(path) << "crashed\n";
    std::_Exit(9);  // dies inside the handler, before its unit commits
  }
  static std::int64_t count_attempt(const std::string& id) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    const auto path = marker_path("attempts", id);
    std::int64_t n = 0;
    std::ifstream(path) >> n;
    std::ofstream(path) << ++n;
    return n;
  }

  Resources* resources_ = nullptr;
};

} // namespace

TMFD_PLUGIN("stateful", "1.0.0", StatefulModule, {nullptr})
