// The trouble_ticket module (TMF621 Trouble Ticket v4) as a client meets it, over HTTP against the
// real tmfd binary: the ticket's mandatory and server-set attributes, the published lifecycle
// (every legal move and every illegal one), the status history the server keeps, notes,
// attachments and related entities, deletion, filters/fields/paging, and all six events the
// spec defines, read from the outbox and through a hub to a receiver in the test process.
// Bodies and events are validated against the published swagger file when it is present.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "callback_receiver.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "outbox_reader.hpp"
#include "spec_checks.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kTmf621 = "TMF621-TroubleTicket-v4.0.0.swagger.json";
const std::string kBase = "/tmf-api/troubleTicket/v4";
const std::string kTickets = kBase + "/troubleTicket";
const EventSource kTicketEvents{"troubleTicket", "troubleTicket", kTmf621};

// How long a test waits for what happens after the answer (the resolved and information
// required events, hub deliveries). Only a failing test waits that long.
constexpr auto kWait = 30s;

// The trouble_ticket module alone, with hub callbacks to the loopback allowed.
TmfdOptions ticket_options() {
  TmfdOptions o;
  o.enable_party = false;
  o.extra_yaml = "modules:\n  trouble_ticket:\n    enabled: true\n"
                 "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n  backoff_initial_ms: 20\n  backoff_max_ms: 200\n";
  return o;
}

json::object minimal_ticket(const std::string& description = "No dial tone") {
  return json::object{{"description", description}, {"severity", "Major"}, {"ticketType", "incident"}};
}

json::object create(HttpClient& c, const json::object& body, Headers extra = {}) {
  auto r = post_json(c, kTickets, body, std::move(extra));
  auto created = require_object(r, 201, "POST " + kTickets);
  check_created(r, created, kTickets, "TroubleTicket");
  check_spec(created, kTmf621, "TroubleTicket");
  return created;
}

HttpResponse set_status(HttpClient& c, const std::string& id, const std::string& status, Headers extra = {}) {
  return merge_patch(c, kTickets, id, json::object{{"status", status}}, std::move(extra));
}

std::vector<std::string> history_statuses(const json::object& ticket) {
  std::vector<std::string> out;
  if (auto* h = ticket.if_contains("statusChange"))
    for (const auto& e : h->as_array()) out.push_back(str(e.as_object(), "status"));
  return out;
}

// The published lifecycle (TMF621_Trouble_Ticket__LifeCycle_TroubleTicket.png).
const std::vector<std::string> kStates = {"acknowledged", "rejected", "pending", "held",
                                          "inProgress",   "cancelled", "closed", "resolved"};
const std::set<std::pair<std::string, std::string>> kLegal = {
    {"acknowledged", "inProgress"}, {"acknowledged", "rejected"}, {"acknowledged", "cancelled"},
    {"inProgress", "held"},         {"held", "inProgress"},       {"inProgress", "pending"},
    {"pending", "inProgress"},      {"pending", "cancelled"},     {"inProgress", "resolved"},
    {"inProgress", "cancelled"},    {"resolved", "inProgress"},   {"resolved", "closed"}};
// A legal way from acknowledged to each state.
const std::map<std::string, std::vector<std::string>> kWayTo = {
    {"acknowledged", {}},
    {"inProgress", {"inProgress"}},
    {"held", {"inProgress", "held"}},
    {"pending", {"inProgress", "pending"}},
    {"resolved", {"inProgress", "resolved"}},
    {"closed", {"inProgress", "resolved", "closed"}},
    {"cancelled", {"cancelled"}},
    {"rejected", {"rejected"}}};

std::string ticket_in(HttpClient& c, const std::string& state) {
  const std::string id = str(create(c, minimal_ticket()), "id");
  for (const auto& s : kWayTo.at(state)) REQUIRE(set_status(c, id, s).status == 200);
  return id;
}

// Outbox rows of one ticket once `n` of them are there (the resolved and information required
// events follow their status change shortly after the answer).
std::vector<OutboxRow> outbox_when(const TmfdProcess& tmfd, const std::string& id, std::size_t n) {
  std::vector<OutboxRow> rows;
  eventually([&] { return (rows = read_outbox(tmfd, id)).size() >= n; }, kWait);
  return rows;
}

} // namespace

TEST_CASE("trouble ticket: create sets the server's attributes and starts the status history",
          "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  const std::string before = utc_now_ms();
  // A client's own history, dates and id are not the server's: they are replaced.
  auto body = with(minimal_ticket(), obj(R"({"id":"mine","statusChangeDate":"2001-01-01T00:00:00Z",
      "resolutionDate":"2001-01-01T00:00:00Z","lastUpdate":"2001-01-01T00:00:00Z",
      "statusChange":[{"status":"closed","changeDate":"2001-01-01T00:00:00Z"}],
      "statusChangeReason":"raised by phone","priority":"High","externalId":"INC-1"})"));
  auto t = create(c, body);
  CHECK(str(t, "id") != "mine");
  CHECK(str(t, "status") == "acknowledged");
  CHECK(str(t, "creationDate") >= before);
  CHECK(str(t, "lastUpdate") == str(t, "creationDate"));
  CHECK(str(t, "statusChangeDate") == str(t, "creationDate"));
  CHECK_FALSE(t.contains("resolutionDate"));
  REQUIRE(history_statuses(t) == std::vector<std::string>{"acknowledged"});
  const auto& first = t.at("statusChange").as_array()[0].as_object();
  CHECK(str(first, "changeDate") == str(t, "creationDate"));
  CHECK(str(first, "changeReason") == "raised by phone");
  CHECK(str(t, "priority") == "High");
  CHECK(str(t, "externalId") == "INC-1");

  auto got = require_object(c.get(kTickets + "/" + str(t, "id")), 200, "GET ticket");
  CHECK(got == t);
  check_spec(got, kTmf621, "TroubleTicket");
}

TEST_CASE("trouble ticket: description, severity and ticketType are mandatory", "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  for (const char* attr : {"description", "severity", "ticketType"}) {
    INFO(attr);
    auto r = post_json(c, kTickets, without(minimal_ticket(), attr));
    auto e = check_typed_error_response(r, 400, kTmf621, attr);
    CHECK(str(e, "code") == "MISSING_ATTRIBUTE");
    auto blank = post_json(c, kTickets, with(minimal_ticket(), json::object{{attr, ""}}));
    check_typed_error_response(blank, 400, kTmf621, attr);
  }
  // A patch may not remove them either.
  const std::string id = str(create(c, minimal_ticket()), "id");
  check_typed_error_response(merge_patch(c, kTickets, id, json::object{{"severity", nullptr}}), 400, kTmf621, "severity");
  // Types are checked.
  check_typed_error_response(post_json(c, kTickets, with(minimal_ticket(), obj(R"({"severity":3})"))), 400, kTmf621,
                             "severity");
  check_typed_error_response(
      post_json(c, kTickets, with(minimal_ticket(), obj(R"({"requestedResolutionDate":"tomorrow"})"))), 400, kTmf621,
      "requestedResolutionDate");
  CHECK(total_count(c, kTickets) == 1);
}

TEST_CASE("trouble ticket: a ticket starts acknowledged; unknown states are refused", "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  auto r = post_json(c, kTickets, with(minimal_ticket(), json::object{{"status", "inProgress"}}));
  check_typed_error_response(r, 400, kTmf621, "acknowledged");
  CHECK(create(c, with(minimal_ticket(), json::object{{"status", "acknowledged"}})).at("status") == "acknowledged");
  auto unknown = post_json(c, kTickets, with(minimal_ticket(), json::object{{"status", "open"}}));
  check_typed_error_response(unknown, 400, kTmf621, "open");
  const std::string id = str(create(c, minimal_ticket()), "id");
  check_typed_error_response(set_status(c, id, "done"), 400, kTmf621, "done");
  check_typed_error_response(merge_patch(c, kTickets, id, json::object{{"status", nullptr}}), 400, kTmf621, "status");
  CHECK(total_count(c, kTickets) == 2);
}

TEST_CASE("trouble ticket: every move of the published lifecycle is allowed, every other one is 409",
          "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  for (const auto& from : kStates) {
    for (const auto& to : kStates) {
      if (from == to) continue;
      INFO(from << " -> " << to);
      const std::string id = ticket_in(c, from);
      auto r = set_status(c, id, to);
      if (kLegal.count({from, to})) {
        auto t = require_object(r, 200, "PATCH status");
        CHECK(str(t, "status") == to);
        check_spec(t, kTmf621, "TroubleTicket");
      } else {
        auto e = check_typed_error_response(r, 409, kTmf621, to);
        CHECK(str(e, "code") == "INVALID_STATE_TRANSITION");
        CHECK(str(require_object(c.get(kTickets + "/" + id), 200, "GET"), "status") == from);
      }
    }
  }
}

TEST_CASE("trouble ticket: the server appends to the status history on every status change",
          "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  auto t = create(c, minimal_ticket());
  const std::string id = str(t, "id");

  // An ordinary change leaves the history alone.
  auto p = require_object(merge_patch(c, kTickets, id, json::object{{"priority", "Low"}}), 200, "PATCH");
  CHECK(history_statuses(p) == std::vector<std::string>{"acknowledged"});
  CHECK(str(p, "statusChangeDate") == str(t, "statusChangeDate"));
  CHECK(str(p, "lastUpdate") >= str(t, "lastUpdate"));

  auto started = require_object(
      merge_patch(c, kTickets, id, json::object{{"status", "inProgress"}, {"statusChangeReason", "engineer assigned"}}),
      200, "PATCH inProgress");
  CHECK(history_statuses(started) == std::vector<std::string>{"acknowledged", "inProgress"});
  const auto& entry = started.at("statusChange").as_array().back().as_object();
  CHECK(str(entry, "changeReason") == "engineer assigned");
  CHECK(str(entry, "changeDate") == str(started, "statusChangeDate"));
  CHECK(str(started, "statusChangeDate") >= str(p, "lastUpdate"));
  CHECK(str(started, "lastUpdate") >= str(started, "statusChangeDate"));

  // No reason with this change: the earlier one does not stay on the ticket.
  auto resolved = require_object(set_status(c, id, "resolved"), 200, "PATCH resolved");
  CHECK_FALSE(resolved.contains("statusChangeReason"));
  CHECK_FALSE(resolved.at("statusChange").as_array().back().as_object().contains("changeReason"));
  CHECK(str(resolved, "resolutionDate") == str(resolved, "statusChangeDate"));

  // A client cannot rewrite the history or the dates the server keeps.
  auto forged = require_object(
      merge_patch(c, kTickets, id,
                  obj(R"({"statusChange":[],"statusChangeDate":"2001-01-01T00:00:00Z","resolutionDate":"2001-01-01T00:00:00Z"})")),
      200, "PATCH forged history");
  CHECK(forged == resolved);
  CHECK(c.get(kTickets + "/" + id).header("etag") == "\"4\"");  // nothing was written

  REQUIRE(set_status(c, id, "inProgress").status == 200);  // the resolution was rejected
  REQUIRE(set_status(c, id, "resolved").status == 200);
  auto closed = require_object(set_status(c, id, "closed"), 200, "PATCH closed");
  CHECK(history_statuses(closed) ==
        std::vector<std::string>{"acknowledged", "inProgress", "resolved", "inProgress", "resolved", "closed"});
  check_spec(closed, kTmf621, "TroubleTicket");
}

TEST_CASE("trouble ticket: notes, attachments and related entities", "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  // Orders, services and resources are references; they are not looked up.
  auto body = with(minimal_ticket(), obj(R"({
      "note":[{"text":"Customer called","author":"agent 7"},{"id":"n-1","date":"2024-01-01T10:00:00Z","text":"Line test ok"}],
      "attachment":[{"url":"https://files.example.com/trace.pcap","mimeType":"application/vnd.tcpdump.pcap","name":"trace"},
                    {"content":"aGVsbG8=","mimeType":"text/plain","name":"hello.txt"}],
      "relatedEntity":[{"id":"po-404","role":"originatingOrder","@referredType":"ProductOrder"},
                       {"id":"svc-9","role":"impactedService","@referredType":"Service"},
                       {"id":"res-3","role":"faultyResource","@referredType":"Resource"}],
      "relatedParty":[{"id":"cust-1","role":"customer","@referredType":"Individual"}],
      "troubleTicketRelationship":[{"id":"tt-0","relationshipType":"isDuplicatedBy"}],
      "channel":{"id":"ch-1","name":"phone"}})"));
  auto t = create(c, body);
  const auto& notes = t.at("note").as_array();
  REQUIRE(notes.size() == 2);
  CHECK(!str(notes[0].as_object(), "id").empty());
  CHECK(str(notes[0].as_object(), "date") == str(t, "creationDate"));
  CHECK(str(notes[1].as_object(), "id") == "n-1");
  CHECK(str(notes[1].as_object(), "date") == "2024-01-01T10:00:00Z");
  CHECK(t.at("relatedEntity") == body.at("relatedEntity"));
  CHECK(t.at("attachment") == body.at("attachment"));
  CHECK(total_count(c, kTickets, "relatedEntity.id=svc-9") == 1);
  CHECK(total_count(c, kTickets, "channel.id=ch-1") == 1);

  // A note added by JSON Patch gets its id and date too.
  const std::string id = str(t, "id");
  auto added = c.request("PATCH", kTickets + "/" + id, R"([{"op":"add","path":"/note/-","value":{"text":"Fixed"}}])",
                         {{"Content-Type", "application/json-patch+json"}});
  auto after = require_object(added, 200, "JSON Patch note");
  REQUIRE(after.at("note").as_array().size() == 3);
  const std::string added_date = str(after.at("note").as_array()[2].as_object(), "date");
  CHECK(added_date >= str(t, "lastUpdate"));
  CHECK(added_date <= str(after, "lastUpdate"));
  CHECK(!str(after.at("note").as_array()[2].as_object(), "id").empty());

  const std::vector<std::pair<const char*, const char*>> bad = {
      {R"({"note":[{"author":"x"}]})", "note[0].text"},
      {R"({"note":["text"]})", "note[0]"},
      {R"({"relatedEntity":[{"id":"po-1","@referredType":"ProductOrder"}]})", "relatedEntity[0].role"},
      {R"({"relatedEntity":[{"role":"x","@referredType":"ProductOrder"}]})", "relatedEntity[0].id"},
      {R"({"relatedEntity":[{"id":"po-1","role":"x"}]})", "relatedEntity[0].@referredType"},
      {R"({"attachment":[{"name":"nothing"}]})", "attachment[0]"},
      {R"({"attachment":[{"url":42}]})", "attachment[0].url"},
      {R"({"troubleTicketRelationship":[{"relationshipType":"x"}]})", "troubleTicketRelationship[0].id"}};
  for (const auto& [extra, mention] : bad) {
    INFO(extra);
    check_typed_error_response(post_json(c, kTickets, with(minimal_ticket(), obj(extra))), 400, kTmf621, mention);
    check_typed_error_response(merge_patch(c, kTickets, id, obj(extra)), 400, kTmf621, mention);
  }
  CHECK(total_count(c, kTickets) == 1);
}

TEST_CASE("trouble ticket: only a closed, cancelled or rejected ticket can be deleted; ticketType is immutable",
          "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  for (const auto& state : kStates) {
    INFO(state);
    const std::string id = ticket_in(c, state);
    auto r = c.request("DELETE", kTickets + "/" + id);
    if (state == "closed" || state == "cancelled" || state == "rejected") {
      CHECK(r.status == 204);
      CHECK(c.get(kTickets + "/" + id).status == 404);
    } else {
      check_typed_error_response(r, 409, kTmf621, state);
      CHECK(c.get(kTickets + "/" + id).status == 200);
    }
  }
  const std::string id = str(create(c, minimal_ticket()), "id");
  check_typed_error_response(merge_patch(c, kTickets, id, json::object{{"ticketType", "complaint"}}), 400, kTmf621,
                             "ticketType");
  check_typed_error_response(c.get(kTickets + "/nope"), 404, kTmf621);
  check_typed_error_response(set_status(c, "nope", "inProgress"), 404, kTmf621);
  check_typed_error_response(c.request("DELETE", kTickets + "/nope"), 404, kTmf621);
  check_typed_error_response(c.request("PUT", kTickets + "/" + id, "{}", {{"Content-Type", "application/json"}}), 405,
                             kTmf621);
}

TEST_CASE("trouble ticket: lists filter, project, sort and page", "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  create(c, with(minimal_ticket("a"), json::object{{"severity", "Minor"}}));
  const std::string major = str(create(c, minimal_ticket("b")), "id");
  const std::string critical = ticket_in(c, "inProgress");
  REQUIRE(merge_patch(c, kTickets, critical, json::object{{"severity", "Critical"}, {"description", "c"}}).status == 200);

  CHECK(total_count(c, kTickets) == 3);
  CHECK(total_count(c, kTickets, "severity=Major") == 1);
  CHECK(total_count(c, kTickets, "severity=Major,Critical") == 2);
  CHECK(total_count(c, kTickets, "status=inProgress") == 1);
  CHECK(total_count(c, kTickets, "status=acknowledged&severity=Minor") == 1);
  CHECK(total_count(c, kTickets, "creationDate.gte=2000-01-01T00:00:00Z") == 3);
  CHECK(total_count(c, kTickets, "statusChange.status=inProgress") == 1);

  auto projected = c.get(kTickets + "?severity=Major&fields=severity");
  REQUIRE(projected.status == 200);
  auto items = as_array(projected);
  REQUIRE(items.size() == 1);
  CHECK(items[0].as_object() == json::object{{"id", major}, {"href", kTickets + "/" + major}, {"@type", "TroubleTicket"}, {"severity", "Major"}});

  auto page = c.get(kTickets + "?sort=description&offset=1&limit=1");
  REQUIRE(page.status == 200);
  CHECK(page.header("x-total-count") == "3");
  CHECK(page.header("x-result-count") == "1");
  auto one = as_array(page);
  REQUIRE(one.size() == 1);
  CHECK(str(one[0].as_object(), "description") == "b");
  check_spec(one[0], kTmf621, "TroubleTicket");
  auto desc = as_array(c.get(kTickets + "?sort=-description&limit=1"));
  REQUIRE(desc.size() == 1);
  CHECK(str(desc[0].as_object(), "description") == "c");
}

TEST_CASE("trouble ticket: every TMF621 event is written, in order, with the ticket as it was",
          "[trouble-ticket]") {
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  auto t = create(c, minimal_ticket(), {{"X-Correlation-ID", "tt-create"}});
  const std::string id = str(t, "id");
  auto changed = require_object(merge_patch(c, kTickets, id, json::object{{"priority", "High"}}, {{"X-Correlation-ID", "tt-avc"}}),
                                200, "PATCH priority");
  REQUIRE(set_status(c, id, "inProgress").status == 200);
  auto pending = require_object(set_status(c, id, "pending", {{"X-Correlation-ID", "tt-pending"}}), 200, "pending");
  REQUIRE(set_status(c, id, "inProgress").status == 200);
  auto resolved = require_object(set_status(c, id, "resolved", {{"X-Correlation-ID", "tt-resolved"}}), 200, "resolved");
  REQUIRE(set_status(c, id, "closed").status == 200);
  REQUIRE(c.request("DELETE", kTickets + "/" + id, {}, {{"X-Correlation-ID", "tt-delete"}}).status == 204);

  // A status change also changes statusChange and statusChangeDate: it is announced as both.
  const std::string sc = "TroubleTicketStatusChangeEvent", avc = "TroubleTicketAttributeValueChangeEvent";
  auto rows = outbox_when(tmfd, id, 15);
  std::vector<std::string> types = event_types(rows);
  INFO(json::serialize(json::value_from(types)));
  // The two named events follow their status change (they are written just after it); the
  // rest is in change order.
  std::vector<std::string> engine_events, named_events;
  for (const auto& type : types)
    (type == "TroubleTicketResolvedEvent" || type == "TroubleTicketInformationRequiredEvent" ? named_events : engine_events)
        .push_back(type);
  CHECK(engine_events == std::vector<std::string>{"TroubleTicketCreateEvent", avc, avc, sc, avc, sc, avc, sc, avc, sc,
                                                  avc, sc, "TroubleTicketDeleteEvent"});
  CHECK(named_events ==
        std::vector<std::string>{"TroubleTicketInformationRequiredEvent", "TroubleTicketResolvedEvent"});
  for (const auto& row : rows) {
    INFO(row.event_type);
    if (row.event_type == "TroubleTicketCreateEvent") {
      check_outbox_event(row, kTicketEvents, id, &t);
      CHECK(row.correlation_id == "tt-create");
    } else if (row.event_type == "TroubleTicketInformationRequiredEvent") {
      check_outbox_event(row, kTicketEvents, id, &pending);
      CHECK(row.correlation_id == "tt-pending");
    } else if (row.event_type == "TroubleTicketResolvedEvent") {
      check_outbox_event(row, kTicketEvents, id, &resolved);
      CHECK(row.correlation_id == "tt-resolved");
    } else if (row.event_type == "TroubleTicketDeleteEvent") {
      CHECK(row.correlation_id == "tt-delete");
      check_outbox_event(row, kTicketEvents, id);
    } else {
      check_outbox_event(row, kTicketEvents, id);
    }
  }
  // The first attribute change carries the patched ticket.
  check_outbox_event(rows[1], kTicketEvents, id, &changed);
  CHECK(rows[1].correlation_id == "tt-avc");
}

TEST_CASE("trouble ticket: resolved and information-required events reach a hub, once each across a restart",
          "[trouble-ticket]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(ticket_options());
  HttpClient c(tmfd.port());
  auto hub = post_json(c, kBase + "/hub",
                       json::object{{"callback", receiver.url()},
                                    {"query", "eventType=TroubleTicketResolvedEvent,TroubleTicketInformationRequiredEvent"}});
  REQUIRE(hub.status == 201);
  const std::string id = ticket_in(c, "pending");
  REQUIRE(set_status(c, id, "inProgress").status == 200);
  REQUIRE(set_status(c, id, "resolved").status == 200);
  REQUIRE(receiver.wait_for_count(2, kWait));
  auto got = receiver.accepted();
  REQUIRE(got.size() == 2);
  CHECK(got[0].event_type() == "TroubleTicketInformationRequiredEvent");
  CHECK(got[0].resource_attribute("status") == "pending");
  CHECK(got[1].event_type() == "TroubleTicketResolvedEvent");
  CHECK(got[1].resource_attribute("status") == "resolved");
  for (const auto& r : got) {
    CHECK(r.resource_id() == id);
    CHECK(r.resource_collection() == "troubleTicket");
    check_spec(r.json(), kTmf621, r.event_type());
  }

  // After a restart the status change events are not turned into named events a second time.
  CHECK(tmfd.stop() == 0);
  tmfd.restart();
  HttpClient again(tmfd.port());
  REQUIRE(set_status(again, id, "inProgress").status == 200);
  REQUIRE(set_status(again, id, "pending").status == 200);
  REQUIRE(receiver.wait_for_count(3, kWait));
  auto rows = outbox_when(tmfd, id, 1);
  std::size_t named = 0;
  eventually([&] {
    named = 0;
    for (const auto& row : read_outbox(tmfd, id))
      named += row.event_type == "TroubleTicketResolvedEvent" || row.event_type == "TroubleTicketInformationRequiredEvent";
    return named >= 3;
  }, kWait);
  CHECK(named == 3);
  CHECK(receiver.accepted().size() == 3);
}
