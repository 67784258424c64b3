// The stateful SDK through the real binary and a real plugin (test/plugins/stateful_plugin.cpp):
// units of work, hooks that write, internal kinds, durable reactions and timers, across restarts
// and kill -9.
#include <catch2/catch.hpp>

#include <filesystem>

#include <signal.h>

#include <chrono>

#include "callback_receiver.hpp"
#include "database_access.hpp"
#include "http_helpers.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kOrders = "/tmf-api/stateful/v1/order";
const std::string kUnit = "/tmf-api/stateful/v1/unitOfWork";
const std::string kLedger = "/admin/internal/stateful/ledger";
// The order of the test module is shaped as a TMF622 one: its errors are checked against that spec.
const std::string kSpec = "TMF622-ProductOrder-v4.0.0.swagger.json";

TmfdOptions stateful_options(const std::string& crash_dir = "/tmp") {
  TmfdOptions o;
  o.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\n"
                "plugins:\n  directory: " TMFD_TEST_PLUGIN_DIR "\n"
                "modules:\n  stateful: {}\n";
  o.environment = {{"TMFD_TEST_CRASH_DIR", crash_dir}};
  return o;
}

json::object order(const std::string& name) { return {{"name", name}}; }

std::string create_order(HttpClient& c, json::object body) {
  auto r = post_json(c, kOrders, body);
  REQUIRE(r.status == 201);
  return std::string(r.json().at("id").as_string());
}

bool ledger_has(HttpClient& c, const std::string& id) { return c.get(kLedger + "/" + id).status == 200; }

json::object run_unit(HttpClient& c, const json::array& changes, int throw_after = -1, int* status = nullptr) {
  json::object body{{"changes", changes}};
  if (throw_after >= 0) body["throwAfter"] = throw_after;
  auto r = post_json(c, kUnit, body);
  if (status) *status = r.status;
  return r.json().as_object();
}

std::string outcome(const json::object& unit, std::size_t i) {
  return std::string(unit.at("outcomes").as_array().at(i).as_object().at("outcome").as_string());
}

} // namespace

TEST_CASE("unit of work: changes of several kinds commit together, with typed outcomes", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  const std::string first = create_order(c, order("first"));
  // The module's reaction moves every new order to inProgress (version 2): wait for it.
  REQUIRE(eventually([&] { return c.get(kOrders + "/" + first).header("etag") == "\"2\""; }, 10s));
  json::array changes = {
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "o-1"}, {"name", "client id"}}}},
      json::object{{"op", "create"}, {"path", "/internal/stateful/note"}, {"body", {{"id", "n-1"}, {"text", "x"}}}},
      json::object{{"op", "read"}, {"path", kOrders}, {"id", "o-1"}, {"query", "name=client%20id"}},
      json::object{{"op", "merge"}, {"path", kOrders}, {"id", first}, {"patch", {{"state", "completed"}}},
                   {"expectedVersion", 2}},
      json::object{{"op", "merge"}, {"path", kOrders}, {"id", first}, {"patch", {{"description", "again"}}},
                   {"expectedVersion", 2}},
      json::object{{"op", "merge"}, {"path", kOrders}, {"id", first}, {"patch", {{"state", "acknowledged"}}}},
      json::object{{"op", "jsonPatch"}, {"path", kOrders}, {"id", "o-1"},
                   {"patch", json::array{json::object{{"op", "add"}, {"path", "/description"}, {"value", "d"}}}}},
      json::object{{"op", "merge"}, {"path", kOrders}, {"id", "o-1"}, {"patch", {{"description", "d"}}}},
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "o-1"}, {"name", "repeated"}}}},
      json::object{{"op", "delete"}, {"path", kOrders}, {"id", "missing"}},
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"description", "no name"}}}},
  };
  int status = 0;
  auto unit = run_unit(c, changes, -1, &status);
  REQUIRE(status == 200);
  CHECK(unit.at("committed").as_bool());
  CHECK(outcome(unit, 0) == "created");
  CHECK(outcome(unit, 1) == "created");
  // The unit reads its own uncommitted changes: get, count and list.
  const auto& read = unit.at("outcomes").as_array().at(2).as_object();
  CHECK(read.at("found").as_bool());
  CHECK(read.at("count").as_int64() == 1);
  CHECK(read.at("listed").as_int64() == 1);
  CHECK(outcome(unit, 3) == "updated");
  CHECK(outcome(unit, 4) == "versionMismatch");  // version 2 is gone: the state change made 3
  CHECK(outcome(unit, 5) == "illegalTransition");  // completed -> acknowledged is not a transition
  CHECK(unit.at("outcomes").as_array().at(5).as_object().at("error").as_object().at("status") == "409");
  CHECK(outcome(unit, 6) == "updated");
  CHECK(outcome(unit, 7) == "unchanged");
  CHECK(outcome(unit, 8) == "alreadyExists");  // a repeated step with a client id is idempotent
  CHECK(unit.at("outcomes").as_array().at(8).as_object().at("body").as_object().at("name") == "client id");
  CHECK(outcome(unit, 9) == "notFound");
  CHECK(outcome(unit, 10) == "invalid");  // name is mandatory

  // Committed: visible over REST, with the versions the unit reported.
  auto o1 = c.get(kOrders + "/o-1");
  REQUIRE(o1.status == 200);
  CHECK(o1.json().at("description") == "d");
  CHECK(o1.header("etag") == "\"2\"");
  CHECK(c.get(kOrders + "/" + first).json().at("state") == "completed");
  // The hook of the order's kind wrote its ledger entry in the unit's transaction.
  CHECK(ledger_has(c, "hook-o-1"));
}

TEST_CASE("unit of work: creations prepared off the writer have the same outcomes, hooks and events",
          "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  json::array changes = {
      json::object{{"op", "preparedCreate"}, {"path", kOrders}, {"body", {{"id", "p-1"}, {"name", "prepared"}}}},
      json::object{{"op", "read"}, {"path", kOrders}, {"id", "p-1"}, {"query", "name=prepared"}},
      json::object{{"op", "preparedCreate"}, {"path", kOrders}, {"body", {{"id", "p-1"}, {"name", "repeated"}}}},
      json::object{{"op", "preparedCreate"}, {"path", kOrders}, {"body", {{"description", "no name"}}}},
      json::object{{"op", "preparedCreate"}, {"path", kOrders}, {"body", {{"name", "refuse-in-hook"}}}},
      json::object{{"op", "preparedCreate"}, {"path", "/internal/stateful/note"}, {"body", {{"text", "server id"}}}},
  };
  int status = 0;
  auto unit = run_unit(c, changes, -1, &status);
  REQUIRE(status == 200);
  CHECK(unit.at("committed").as_bool());
  CHECK(outcome(unit, 0) == "created");
  CHECK(unit.at("outcomes").as_array().at(0).as_object().at("body").as_object().at("state") == "acknowledged");
  CHECK(unit.at("outcomes").as_array().at(1).as_object().at("found").as_bool());
  CHECK(outcome(unit, 2) == "alreadyExists");  // the kept id is looked up in the unit, as for create
  CHECK(unit.at("outcomes").as_array().at(2).as_object().at("body").as_object().at("name") == "prepared");
  CHECK(outcome(unit, 3) == "invalid");  // refused when prepared, reported when created
  CHECK(unit.at("outcomes").as_array().at(3).as_object().at("error").as_object().at("status") == "400");
  CHECK(outcome(unit, 4) == "conflict");  // the kind's hook still runs, in the unit's transaction
  CHECK(outcome(unit, 5) == "created");
  CHECK_FALSE(unit.at("outcomes").as_array().at(5).as_object().at("body").as_object().at("id").as_string().empty());

  auto p1 = c.get(kOrders + "/p-1");
  REQUIRE(p1.status == 200);
  CHECK(p1.json().at("name") == "prepared");
  CHECK(ledger_has(c, "hook-p-1"));  // the hook's write committed with the prepared creation
  // Its create event was made when prepared and written with the row: the module's reaction to
  // OrderCreateEvent ran for it.
  CHECK(eventually([&] { return ledger_has(c, "reaction-p-1"); }, 10s));
}

TEST_CASE("unit of work: a unit that fails half-way leaves nothing, events included", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  const auto orders_before = total_count(c, kOrders);
  const auto ledger_before = total_count(c, kLedger);
  json::array changes = {
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "half-1"}, {"name", "a"}}}},
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "half-2"}, {"name", "b"}}}},
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "half-3"}, {"name", "c"}}}},
  };
  int status = 0;
  auto unit = run_unit(c, changes, 2, &status);
  CHECK(status == 409);
  CHECK_FALSE(unit.at("committed").as_bool());
  CHECK(unit.at("error").as_object().at("code") == "CONFLICT");
  CHECK(total_count(c, kOrders) == orders_before);
  CHECK(total_count(c, kLedger) == ledger_before);  // the hooks' writes went with them
  CHECK(c.get(kOrders + "/half-1").status == 404);

  // A change refused inside its hook leaves nothing of it, and the unit goes on.
  json::array refused = {
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "r-1"}, {"name", "refuse-in-hook"}}}},
      json::object{{"op", "create"}, {"path", kOrders}, {"body", {{"id", "r-2"}, {"name", "fine"}}}},
  };
  unit = run_unit(c, refused, -1, &status);
  REQUIRE(status == 200);
  CHECK(outcome(unit, 0) == "conflict");
  CHECK(outcome(unit, 1) == "created");
  CHECK(c.get(kOrders + "/r-1").status == 404);
  CHECK_FALSE(ledger_has(c, "hook-r-1"));
  CHECK(ledger_has(c, "hook-r-2"));

  // Nothing of the failed unit reached the outbox.
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE resource_id LIKE 'half-%'") == 0);
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE resource_id='r-1'") == 0);
}

TEST_CASE("internal kinds: no REST routes, hubs or API index; admin read-only ones under /admin", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  const std::string id = create_order(c, order("x"));
  REQUIRE(eventually([&] { return ledger_has(c, "hook-" + id); }, 5s));
  CHECK(c.get("/internal/stateful/ledger").status == 404);
  CHECK(c.get("/internal/stateful/note").status == 404);
  CHECK(c.get("/admin/internal/stateful/note").status == 404);  // Internal: not even read-only
  CHECK(c.request("POST", kLedger, "{}", {{"Content-Type", "application/json"}}).status == 405);
  auto entry = c.get(kLedger + "/hook-" + id).json().as_object();
  CHECK(entry.at("what") == "order created");
  // The API index lists the public API only.
  auto index = c.get("/").body;
  CHECK(index.find("/tmf-api/stateful/v1") != std::string::npos);
  CHECK(index.find("/internal/stateful") == std::string::npos);
  // Internal events are in the outbox, marked internal, for reactions only.
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE event_type='LedgerEntryCreateEvent' AND internal=0") == 0);
}

TEST_CASE("reactions: a handler's unit commits with its cursor, once per event, with the event's context", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(create_order(c, order("r" + std::to_string(i))));
  REQUIRE(eventually([&] { return ledger_has(c, "reaction-" + ids.back()); }, 10s));
  for (const auto& id : ids) {
    auto o = c.get(kOrders + "/" + id).json().as_object();
    CHECK(o.at("state") == "inProgress");  // the reaction moved it, with expected version 1
    auto entry = c.get(kLedger + "/reaction-" + id);
    REQUIRE(entry.status == 200);
    CHECK(entry.json().at("principal") == "reaction:order-created");
  }
  // The reaction reads only OrderCreateEvent rows; the events after the last of them (its own
  // state changes, the ledger's) are skipped unread, and its stored cursor still moves past them.
  const std::string pending = "tmfd_consumer_pending_events{consumer=\"reaction:order-created\"}";
  const bool caught_up = eventually([&] { return metric_value(c.get("/metrics").body, pending) == 0; }, 10s);
  {
    ReadOnlyDb db(tmfd.database_path());
    INFO("outbox " << db.count("SELECT max(seq) FROM tmfd_outbox") << ", last creation "
                   << db.count("SELECT max(seq) FROM tmfd_outbox WHERE event_type='OrderCreateEvent'"));
    CHECK(db.count("SELECT max(seq) FROM tmfd_outbox") > db.count("SELECT max(seq) FROM tmfd_outbox WHERE event_type='OrderCreateEvent'"));
    CHECK(caught_up);
  }
  // A restart reads nothing twice: the ledger entries are as many, the orders still version 2.
  tmfd.restart();
  HttpClient c2(tmfd.port());
  auto status = c2.get("/admin/reactions").json().as_array().at(0).as_object();
  CHECK(status.at("name") == "order-created");
  CHECK(status.at("deadLetters").as_int64() == 0);
  CHECK(total_count(c2, kLedger, "what=order%20created") == ids.size());
  for (const auto& id : ids) CHECK(c2.get(kOrders + "/" + id).header("etag") == "\"2\"");
}

TEST_CASE("reactions: failures are retried, then parked without holding up other resources", "[stateful]") {
  const std::string dir = make_temp_dir();
  TmfdProcess tmfd(stateful_options(dir));
  HttpClient c(tmfd.port());
  auto flaky = order("flaky");
  flaky["reactionFailures"] = 2;  // fails twice, succeeds on the third (last) attempt
  const std::string flaky_id = create_order(c, flaky);
  auto doomed = order("doomed");
  doomed["reactionFailures"] = 100;
  const std::string doomed_id = create_order(c, doomed);
  const std::string later_id = create_order(c, order("later"));

  // The later order is handled while the doomed one is still being retried.
  REQUIRE(eventually([&] { return ledger_has(c, "reaction-" + later_id); }, 10s));
  REQUIRE(eventually([&] { return ledger_has(c, "reaction-" + flaky_id); }, 10s));
  REQUIRE(eventually([&] { return total_count(c, "/admin/reactions/order-created/deadLetter") == 1; }, 10s));
  auto letters = c.get("/admin/reactions/order-created/deadLetter").json().as_array();
  auto letter = letters.at(0).as_object();
  CHECK(letter.at("eventType") == "OrderCreateEvent");
  CHECK(letter.at("resource").as_string() == "stateful/order/" + doomed_id);
  CHECK(letter.at("attempts").as_int64() == 3);
  CHECK(std::string(letter.at("error").as_string()).find("reaction failure asked for") != std::string::npos);
  CHECK_FALSE(ledger_has(c, "reaction-" + doomed_id));
  CHECK(c.get(kOrders + "/" + doomed_id).json().at("state") == "acknowledged");
  CHECK(read_text_file(dir + "/attempts-" + doomed_id) == "3");
  CHECK(read_text_file(dir + "/attempts-" + flaky_id) == "3");

  auto metrics = c.get("/metrics").body;
  CHECK(metric_value(metrics, "tmfd_reaction_parked_total{reaction=\"order-created\"}") == 1);
  CHECK(metric_value(metrics, "tmfd_reaction_failures_total{reaction=\"order-created\"}") == 5);
  CHECK(c.get("/admin/reactions/nosuch/deadLetter").status == 404);
  remove_temp_dir(dir);
}

TEST_CASE("reactions: kill -9 inside a handler runs it again after restart, with effects once", "[stateful]") {
  const std::string dir = make_temp_dir();
  TmfdProcess tmfd(stateful_options(dir));
  HttpClient c(tmfd.port());
  std::vector<std::string> before;
  for (int i = 0; i < 5; ++i) before.push_back(create_order(c, order("before" + std::to_string(i))));
  REQUIRE(eventually([&] { return ledger_has(c, "reaction-" + before.back()); }, 10s));
  auto crashing = order("crashing");
  crashing["crashInReaction"] = true;
  std::string crash_id;
  try {
    crash_id = create_order(c, crashing);
  } catch (const std::exception&) {
    // The reaction starts once the order is on disk, and may kill the process before the POST's
    // answer is written: the order is found by name after the restart.
  }
  // The process dies inside the handler (its unit never commits), after leaving its marker file.
  auto crash_marker_written = [&] {
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().filename().string().rfind("crashed-", 0) == 0) return true;
    return false;
  };
  REQUIRE(eventually(crash_marker_written, 10s));
  REQUIRE(eventually([&] {
    try {
      HttpClient probe(tmfd.port());
      return probe.get("/health/live").status != 200;
    } catch (const std::exception&) {
      return true;  // refused: the process is gone
    }
  }, 10s));
  tmfd.restart();
  HttpClient c2(tmfd.port());
  if (crash_id.empty()) {
    auto found = c2.get(kOrders + "?name=crashing");
    REQUIRE(found.status == 200);
    REQUIRE(found.json().as_array().size() == 1);
    crash_id = std::string(found.json().as_array()[0].at("id").as_string());
  }
  REQUIRE(eventually([&] { return ledger_has(c2, "reaction-" + crash_id); }, 10s));
  CHECK(c2.get(kOrders + "/" + crash_id).header("etag") == "\"2\"");
  for (const auto& id : before) CHECK(c2.get(kOrders + "/" + id).header("etag") == "\"2\"");

  // kill -9 while events are being handled: each is handled exactly once after the restart.
  std::vector<std::string> burst;
  for (int i = 0; i < 50; ++i) burst.push_back(create_order(c2, order("burst" + std::to_string(i))));
  ::kill(tmfd.pid(), SIGKILL);
  tmfd.restart();
  HttpClient c3(tmfd.port());
  REQUIRE(eventually([&] { return total_count(c3, kOrders, "state=acknowledged") == 0; }, 20s));
  for (const auto& id : burst) {
    CHECK(c3.get(kOrders + "/" + id).header("etag") == "\"2\"");  // moved once, not twice
    CHECK(ledger_has(c3, "reaction-" + id));
  }
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE event_type='OrderStateChangeEvent'") ==
        static_cast<std::int64_t>(before.size() + 1 + burst.size()));
  remove_temp_dir(dir);
}

TEST_CASE("timers: fire once after their time, survive a restart, can be cancelled, park after failures", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  const std::string soon = create_order(c, order("soon"));
  const std::string later = create_order(c, order("later"));
  const std::string cancelled = create_order(c, order("cancelled"));
  auto failing_body = order("failing");
  failing_body["timerFails"] = true;
  const std::string failing = create_order(c, failing_body);
  auto remind = [&](HttpClient& client, const std::string& id, int in_ms) {
    return client.request("POST", kOrders + "/" + id + "/reminder?inMs=" + std::to_string(in_ms)).status;
  };
  CHECK(remind(c, soon, 0) == 202);
  CHECK(remind(c, later, 1500) == 202);
  CHECK(remind(c, cancelled, 1500) == 202);
  CHECK(remind(c, failing, 0) == 202);
  CHECK(remind(c, "missing", 0) == 404);
  CHECK(c.request("DELETE", kOrders + "/" + cancelled + "/reminder").status == 204);
  CHECK(c.request("DELETE", kOrders + "/" + cancelled + "/reminder").status == 404);

  REQUIRE(eventually([&] { return ledger_has(c, "timer-" + soon); }, 5s));
  CHECK_FALSE(ledger_has(c, "timer-" + later));  // not due yet: scheduled 1.5 s after `soon`
  // The timer survives a restart and fires after it.
  tmfd.restart();
  HttpClient c2(tmfd.port());
  REQUIRE(eventually([&] { return ledger_has(c2, "timer-" + later); }, 10s));
  REQUIRE(eventually([&] { return total_count(c2, "/admin/timers/reminder/deadLetter") == 1; }, 10s));
  auto letter = c2.get("/admin/timers/reminder/deadLetter").json().as_array().at(0).as_object();
  CHECK(letter.at("timerId").as_string() == "reminder-" + failing);
  CHECK(letter.at("attempts").as_int64() == 2);
  CHECK_FALSE(ledger_has(c2, "timer-" + cancelled));

  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_timer") == 0);  // fired, cancelled or parked: none left
  // The custom event the timer's handler wrote, once per fired timer, with the standard envelope.
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE event_type='OrderJeopardyEvent'") == 2);
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE event_type='OrderJeopardyEvent'"
                 " AND principal='timer:reminder' AND json_extract(payload,'$.event.order.id') IS NOT NULL") == 2);
}

TEST_CASE("task resources, item lifecycles and actions declared by a module", "[stateful]") {
  TmfdProcess tmfd(stateful_options());
  HttpClient c(tmfd.port());
  // Items have their own lifecycle, matched by id across versions.
  json::object body = order("with items");
  body["item"] = json::array{json::object{{"id", "1"}}, json::object{{"id", "2"}, {"state", "pending"}}};
  auto created = post_json(c, kOrders, body);
  REQUIRE(created.status == 201);
  const std::string id(created.json().at("id").as_string());
  CHECK(created.json().at("item").at(0).at("state") == "pending");
  json::object done{{"item", json::array{json::object{{"id", "1"}, {"state", "done"}},
                                         json::object{{"id", "2"}, {"state", "pending"}}}}};
  CHECK(merge_patch(c, kOrders, id, done).status == 200);
  json::object back{{"item", json::array{json::object{{"id", "1"}, {"state", "pending"}}}}};
  auto refused = merge_patch(c, kOrders, id, back);
  check_error_response(refused, 409, kSpec, "item[id=1].state cannot change from 'done' to 'pending'");
  json::object unknown{{"item", json::array{json::object{{"id", "3"}, {"state", "lost"}}}}};
  check_error_response(merge_patch(c, kOrders, id, unknown), 400, kSpec, "item[id=3].state");

  // An action: POST order/{id}/hold, in a unit of work with the order's current version.
  auto held = c.request("POST", kOrders + "/" + id + "/hold", R"({"reason":"customer asked"})",
                        {{"Content-Type", "application/json"}});
  REQUIRE(held.status == 200);
  CHECK(held.json().at("description") == "held: customer asked");
  check_error_response(c.request("POST", kOrders + "/missing/hold"), 404, kSpec, "missing");
  check_error_response(c.request("POST", kOrders + "/" + id + "/hold", "{", {{"Content-Type", "application/json"}}),
                       400, kSpec);

  // A task resource: POST-only, progressed by the module's reaction.
  auto task = post_json(c, "/tmf-api/stateful/v1/cancelOrder", {{"orderId", id}});
  REQUIRE(task.status == 201);
  CHECK(task.json().at("state") == "acknowledged");
  const std::string task_id(task.json().at("id").as_string());
  CHECK(merge_patch(c, "/tmf-api/stateful/v1/cancelOrder", task_id, {{"state", "done"}}).status == 405);
  REQUIRE(eventually([&] {
    return c.get("/tmf-api/stateful/v1/cancelOrder/" + task_id).json().at("state") == "done";
  }, 10s));
  CHECK(c.get(kOrders + "/" + id).json().at("state") == "cancelled");
  check_error_response(c.request("POST", kOrders + "/" + id + "/hold"), 409, kSpec, "cancelled order");
  // Cancelling what cannot be cancelled: the task is rejected with the reason.
  auto again = post_json(c, "/tmf-api/stateful/v1/cancelOrder", {{"orderId", id}});
  const std::string again_id(again.json().at("id").as_string());
  REQUIRE(eventually([&] {
    return c.get("/tmf-api/stateful/v1/cancelOrder/" + again_id).json().at("state") == "rejected";
  }, 10s));
}

TEST_CASE("internal kinds' events never leave the process: the TMF688 central hub gets none", "[stateful]") {
  // The central hub receives every event of every module: the only way out for internal ones.
  // tmfd loads plugins from one folder, so the event module and the test module sit side by side.
  const std::string plugins = make_temp_dir();
  REQUIRE(std::system(("ln -s " TMFD_PLUGIN_DIR "/tmfd_event.so " TMFD_TEST_PLUGIN_DIR "/tmfd_stateful.so '" +
                       plugins + "/'").c_str()) == 0);
  TmfdOptions o = stateful_options();
  o.full_yaml = "server:\n  port: 0\nstorage:\n  path: $DIR/tmfd.db\nplugins:\n  directory: " + plugins +
                "\nmodules:\n  event: {}\n  stateful: {}\ndelivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n";
  TmfdProcess tmfd(o);
  HttpClient c(tmfd.port());
  CallbackReceiver receiver;
  REQUIRE(post_json(c, "/tmf-api/event/v4/hub", {{"callback", receiver.url("/central")}}).status == 201);
  const std::string id = create_order(c, order("watched"));
  // The reaction's state change comes after the hook's and the reaction's ledger entries.
  REQUIRE(receiver.wait_until([&](const std::vector<ReceivedRequest>& all) {
    for (const auto& r : all)
      if (r.body.find("OrderStateChangeEvent") != std::string::npos && r.body.find(id) != std::string::npos) return true;
    return false;
  }, std::chrono::steady_clock::now() + 10s));
  std::size_t public_events = 0;
  for (const auto& r : receiver.received()) {
    CHECK(r.body.find("LedgerEntryCreateEvent") == std::string::npos);
    if (r.body.find("\"Order") != std::string::npos) ++public_events;
  }
  CHECK(public_events >= 2);  // OrderCreateEvent and OrderStateChangeEvent
  ReadOnlyDb db(tmfd.database_path());
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE internal=1 AND resource_id IN ('hook-" + id +
                 "', 'reaction-" + id + "')") == 2);
  remove_temp_dir(plugins);
}
