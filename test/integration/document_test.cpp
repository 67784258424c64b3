// The document module (TMF667 Document v4) as a client meets it, over HTTP against the real tmfd
// binary: create/get/list/PUT/PATCH/DELETE, the mandatory and server-set attributes, attachments
// by reference and inline (base64, bounded by modules.document.max_inline_content_bytes), the
// lifecycleState and its events, read from the outbox and through a hub to a receiver.
// Bodies are validated against the published swagger file when it is present.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
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

const std::string kTmf667 = "TMF667-Document-v4.0.0.swagger.json";
const std::string kBase = "/tmf-api/document/v4";
const std::string kDocuments = kBase + "/document";

// The document module alone; `limit` sets max_inline_content_bytes when not negative.
TmfdOptions document_options(long limit = -1) {
  TmfdOptions o;
  o.enable_party = false;
  o.extra_yaml = "modules:\n  document:\n    enabled: true\n";
  if (limit >= 0) o.extra_yaml += "    max_inline_content_bytes: " + std::to_string(limit) + "\n";
  o.extra_yaml += "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n  backoff_initial_ms: 20\n  backoff_max_ms: 200\n";
  return o;
}

json::object create(HttpClient& c, const json::object& body) {
  auto r = post_json(c, kDocuments, body);
  auto created = require_object(r, 201, "POST " + kDocuments);
  check_created(r, created, kDocuments, "Document");
  check_spec(created, kTmf667, "Document");
  return created;
}

HttpResponse put_json(HttpClient& c, const std::string& id, const json::object& body, Headers extra = {}) {
  extra.insert(extra.begin(), std::make_pair(std::string("Content-Type"), std::string("application/json")));
  return c.request("PUT", kDocuments + "/" + id, json::serialize(body), extra);
}

json::object with_content(const std::string& base64) {
  return json::object{{"name", "contract"},
                      {"binaryAttachment", json::array{json::object{{"name", "c.txt"}, {"content", base64}}}}};
}

// TMF667's swagger defines no event bodies: the TMF v4 envelope is checked here instead.
void check_document_event(const OutboxRow& row, const std::string& type, const std::string& id,
                          const json::object* document = nullptr) {
  INFO(row.payload);
  CHECK(row.event_type == type);
  CHECK(row.domain == "document");
  CHECK(row.resource_type == "document");
  CHECK(row.resource_id == id);
  auto p = json::parse(row.payload).as_object();
  CHECK(str(p, "eventId") == row.event_id);
  CHECK(str(p, "eventType") == type);
  CHECK(str(p, "domain") == "document");
  CHECK(!str(p, "eventTime").empty());
  const auto& doc = p.at("event").as_object().at("document").as_object();
  CHECK(str(doc, "id") == id);
  check_spec(doc, kTmf667, "Document");
  if (document) CHECK(doc == *document);
}

} // namespace

TEST_CASE("document: create sets the server's attributes; name is mandatory", "[document]") {
  TmfdProcess tmfd(document_options());
  HttpClient c(tmfd.port());
  const std::string before = utc_now_ms();
  auto d = create(c, obj(R"({"name":"Contract 42","documentType":"contract","version":"1.0","lifecycleState":"draft",
      "creationDate":"2001-01-01T00:00:00Z","lastUpdate":"2001-01-01T00:00:00Z",
      "documentSpecification":{"id":"spec-1","name":"Contract template","version":"3"},
      "relatedEntity":{"id":"po-1","role":"order","@referredType":"ProductOrder"},
      "relatedParty":[{"id":"cust-1","role":"customer","@referredType":"Individual"}],
      "category":[{"id":"cat-1","name":"legal"}],"characteristic":[{"name":"pages","value":12}],
      "documentRelationship":[{"id":"doc-0","relationshipType":"replaces"}]})"));
  CHECK(str(d, "creationDate") >= before);
  CHECK(str(d, "lastUpdate") == str(d, "creationDate"));
  CHECK(str(d, "lifecycleState") == "draft");
  CHECK(str(d.at("documentSpecification").as_object(), "id") == "spec-1");
  auto got = require_object(c.get(kDocuments + "/" + str(d, "id")), 200, "GET document");
  CHECK(got == d);
  // Without a lifecycleState, none is invented.
  CHECK_FALSE(create(c, obj(R"({"name":"plain"})")).contains("lifecycleState"));

  auto missing = check_typed_error_response(post_json(c, kDocuments, obj(R"({"documentType":"contract"})")), 400,
                                            kTmf667, "name");
  CHECK(str(missing, "code") == "MISSING_ATTRIBUTE");
  check_typed_error_response(post_json(c, kDocuments, obj(R"({"name":"x","relatedEntity":[]})")), 400, kTmf667,
                             "relatedEntity");
  check_typed_error_response(post_json(c, kDocuments, obj(R"({"name":"x","lifecycleState":7})")), 400, kTmf667,
                             "lifecycleState");
  check_typed_error_response(c.get(kDocuments + "/nope"), 404, kTmf667);
  CHECK(total_count(c, kDocuments) == 2);
}

TEST_CASE("document: attachments by reference and inline, base64 checked, size limited", "[document]") {
  TmfdProcess tmfd(document_options(16));
  HttpClient c(tmfd.port());
  // By reference: kept as sent.
  auto by_ref = create(c, obj(R"({"name":"manual","binaryAttachment":[
      {"url":"https://files.example.com/manual.pdf","mimeType":"application/pdf","size":{"amount":2.5,"units":"MB"}},
      {"id":"att-7","href":"https://dms.example.com/attachment/att-7"}]})"));
  CHECK(by_ref.at("binaryAttachment").as_array().size() == 2);
  CHECK(by_ref.at("binaryAttachment").as_array()[0].as_object().at("size") == obj(R"({"amount":2.5,"units":"MB"})"));

  // Inline: 16 decoded bytes is the limit; the size is recorded.
  auto at_limit = create(c, with_content("MDEyMzQ1Njc4OWFiY2RlZg=="));  // "0123456789abcdef"
  CHECK(at_limit.at("binaryAttachment").as_array()[0].as_object().at("size") ==
        obj(R"({"amount":16,"units":"bytes"})"));
  CHECK(create(c, with_content("aGk=")).at("binaryAttachment").as_array()[0].as_object().at("size") ==
        obj(R"({"amount":2,"units":"bytes"})"));

  auto over = post_json(c, kDocuments, with_content("MDEyMzQ1Njc4OWFiY2RlZmc="));  // 17 bytes
  auto e = check_typed_error_response(over, 413, kTmf667, "max_inline_content_bytes");
  CHECK(str(e, "code") == "ATTACHMENT_TOO_LARGE");

  for (const char* bad : {"aGk", "a=Gk", "aGk=a===", "aG!=", "aGk=\n", "aG-_", "===="}) {
    INFO(bad);
    auto r = post_json(c, kDocuments, with_content(bad));
    auto err = check_typed_error_response(r, 400, kTmf667, "binaryAttachment[0].content");
    CHECK(str(err, "code") == "INVALID_ATTRIBUTE");
  }
  check_typed_error_response(post_json(c, kDocuments, obj(R"({"name":"x","binaryAttachment":[{"name":"nothing"}]})")),
                             400, kTmf667, "binaryAttachment[0]");
  check_typed_error_response(post_json(c, kDocuments, obj(R"({"name":"x","binaryAttachment":[{"content":7}]})")), 400,
                             kTmf667, "binaryAttachment[0].content");
  check_typed_error_response(post_json(c, kDocuments, obj(R"({"name":"x","binaryAttachment":["a"]})")), 400, kTmf667,
                             "binaryAttachment[0]");
  CHECK(total_count(c, kDocuments) == 3);

  // A patch is held to the same rules, and a refused one changes nothing.
  const std::string id = str(by_ref, "id");
  auto patch = json::object{{"binaryAttachment", with_content("MDEyMzQ1Njc4OWFiY2RlZmc=").at("binaryAttachment")}};
  check_typed_error_response(merge_patch(c, kDocuments, id, patch), 413, kTmf667, "max_inline_content_bytes");
  check_typed_error_response(put_json(c, id, with_content("%%%%")), 400, kTmf667, "content");
  CHECK(require_object(c.get(kDocuments + "/" + id), 200, "GET") == by_ref);
}

TEST_CASE("document: with max_inline_content_bytes 0 only references are accepted", "[document]") {
  TmfdProcess tmfd(document_options(0));
  HttpClient c(tmfd.port());
  check_typed_error_response(post_json(c, kDocuments, with_content("aGk=")), 413, kTmf667, "max_inline_content_bytes");
  create(c, obj(R"({"name":"m","binaryAttachment":[{"url":"https://files.example.com/m.pdf"}]})"));
}

TEST_CASE("document: the inline size limit is checked as configuration", "[document]") {
  const std::string dir = make_temp_dir();
  auto config = [&](const std::string& value) {
    const std::string path = dir + "/tmfd.yaml";
    std::ofstream(path) << "storage:\n  path: " << dir << "/tmfd.db\nplugins:\n  directory: " TMFD_PLUGIN_DIR
                        << "\nmodules:\n  document:\n    max_inline_content_bytes: " << value << "\n";
    return run_tmfd("--config " + path + " --check-config");
  };
  auto [ok, ok_text] = config("1024");
  CHECK(ok == 0);
  auto [negative, negative_text] = config("-1");
  CHECK(negative != 0);
  CHECK_THAT(negative_text, Catch::Contains("modules.document.max_inline_content_bytes"));
  auto [text, text_text] = config("lots");
  CHECK(text != 0);
  CHECK_THAT(text_text, Catch::Contains("modules.document.max_inline_content_bytes"));
  remove_temp_dir(dir);
}

TEST_CASE("document: PUT replaces, PATCH merges, DELETE removes; each writes its event", "[document]") {
  TmfdProcess tmfd(document_options());
  HttpClient c(tmfd.port());
  auto d = create(c, obj(R"({"name":"Contract","description":"first draft","lifecycleState":"draft",
      "documentSpecification":{"id":"spec-1","name":"template"}})"));
  const std::string id = str(d, "id");

  // PUT: what the body leaves out is gone (nested members too); id, href, @type and the dates stay.
  auto put = put_json(c, id, obj(R"({"name":"Contract v2","documentType":"contract","lifecycleState":"draft",
      "documentSpecification":{"id":"spec-2"}})"), {{"X-Correlation-ID", "doc-put"}});
  auto replaced = require_object(put, 200, "PUT document");
  CHECK(put.header("etag") == "\"2\"");
  check_spec(replaced, kTmf667, "Document");
  CHECK_FALSE(replaced.contains("description"));
  CHECK(replaced.at("documentSpecification") == obj(R"({"id":"spec-2"})"));
  CHECK(str(replaced, "name") == "Contract v2");
  CHECK(str(replaced, "id") == id);
  CHECK(str(replaced, "href") == kDocuments + "/" + id);
  CHECK(str(replaced, "@type") == "Document");
  CHECK(str(replaced, "creationDate") == str(d, "creationDate"));
  CHECK(str(replaced, "lastUpdate") >= str(d, "lastUpdate"));
  CHECK(require_object(c.get(kDocuments + "/" + id), 200, "GET") == replaced);

  // PUT is a whole document: the mandatory name, If-Match, JSON only, existing documents only.
  check_typed_error_response(put_json(c, id, obj(R"({"description":"no name","lifecycleState":"draft"})")), 400,
                             kTmf667, "name");
  // A lifecycleState once set stays (it may change, not go).
  check_typed_error_response(put_json(c, id, obj(R"({"name":"x"})")), 400, kTmf667, "lifecycleState");
  check_typed_error_response(put_json(c, id, obj(R"({"name":"x"})"), {{"If-Match", "\"1\""}}), 412, kTmf667);
  check_typed_error_response(put_json(c, "nope", obj(R"({"name":"x"})")), 404, kTmf667);
  check_typed_error_response(put_json(c, id, obj(R"({"name":"x","creationDate":"2001-01-01T00:00:00Z"})")), 400,
                             kTmf667, "creationDate");
  check_typed_error_response(c.request("PUT", kDocuments + "/" + id, R"({"name":"x"})", {{"Content-Type", "text/plain"}}),
                             415, kTmf667);
  check_typed_error_response(c.request("PUT", kDocuments + "/" + id, "{", {{"Content-Type", "application/json"}}), 400,
                             kTmf667);
  auto same = put_json(c, id, obj(R"({"name":"Contract v2","documentType":"contract","lifecycleState":"draft",
      "documentSpecification":{"id":"spec-2"}})"), {{"If-Match", "\"2\""}});
  CHECK(require_object(same, 200, "PUT unchanged") == replaced);  // nothing changed, nothing written

  auto approved = require_object(
      merge_patch(c, kDocuments, id, json::object{{"lifecycleState", "approved"}}, {{"X-Correlation-ID", "doc-state"}}),
      200, "PATCH lifecycleState");
  auto renamed = require_object(
      merge_patch(c, kDocuments, id, json::object{{"version", "2.1"}}, {{"X-Correlation-ID", "doc-patch"}}), 200,
      "PATCH version");
  CHECK(str(renamed, "lifecycleState") == "approved");
  check_typed_error_response(merge_patch(c, kDocuments, id, json::object{{"lifecycleState", nullptr}}), 400, kTmf667,
                             "lifecycleState");
  REQUIRE(c.request("DELETE", kDocuments + "/" + id, {}, {{"X-Correlation-ID", "doc-delete"}}).status == 204);
  CHECK(c.get(kDocuments + "/" + id).status == 404);
  check_typed_error_response(c.request("DELETE", kDocuments + "/" + id), 404, kTmf667);

  auto rows = read_outbox(tmfd, id);
  REQUIRE(event_types(rows) == std::vector<std::string>{"DocumentCreateEvent", "DocumentAttributeValueChangeEvent",
                                                        "DocumentStateChangeEvent", "DocumentAttributeValueChangeEvent",
                                                        "DocumentDeleteEvent"});
  check_document_event(rows[0], "DocumentCreateEvent", id, &d);
  check_document_event(rows[1], "DocumentAttributeValueChangeEvent", id, &replaced);
  CHECK(rows[1].correlation_id == "doc-put");
  check_document_event(rows[2], "DocumentStateChangeEvent", id, &approved);
  CHECK(rows[2].correlation_id == "doc-state");
  check_document_event(rows[3], "DocumentAttributeValueChangeEvent", id, &renamed);
  check_document_event(rows[4], "DocumentDeleteEvent", id, &renamed);
  CHECK(rows[4].correlation_id == "doc-delete");
}

TEST_CASE("document: lists filter, project, sort and page", "[document]") {
  TmfdProcess tmfd(document_options());
  HttpClient c(tmfd.port());
  create(c, obj(R"({"name":"a","documentType":"contract","lifecycleState":"draft"})"));
  const std::string b = str(create(c, obj(R"({"name":"b","documentType":"invoice","lifecycleState":"approved",
      "documentSpecification":{"id":"spec-9"}})")), "id");
  create(c, obj(R"({"name":"c","documentType":"contract","lifecycleState":"approved"})"));
  CHECK(total_count(c, kDocuments) == 3);
  CHECK(total_count(c, kDocuments, "documentType=contract") == 2);
  CHECK(total_count(c, kDocuments, "lifecycleState=approved&documentType=contract") == 1);
  CHECK(total_count(c, kDocuments, "documentSpecification.id=spec-9") == 1);
  auto projected = as_array(c.get(kDocuments + "?documentType=invoice&fields=name"));
  REQUIRE(projected.size() == 1);
  CHECK(projected[0].as_object() == json::object{{"id", b}, {"href", kDocuments + "/" + b}, {"@type", "Document"}, {"name", "b"}});
  auto page = c.get(kDocuments + "?sort=-name&offset=1&limit=1");
  CHECK(page.header("x-total-count") == "3");
  CHECK(page.header("x-result-count") == "1");
  auto items = as_array(page);
  REQUIRE(items.size() == 1);
  CHECK(str(items[0].as_object(), "name") == "b");
  check_spec(items[0], kTmf667, "Document");
}

TEST_CASE("document: events reach a hub registered on the document API", "[document]") {
  CallbackReceiver receiver;
  TmfdProcess tmfd(document_options());
  HttpClient c(tmfd.port());
  auto hub = post_json(c, kBase + "/hub", json::object{{"callback", receiver.url()}, {"query", "eventType=DocumentStateChangeEvent"}});
  auto hub_body = require_object(hub, 201, "POST hub");
  check_spec(hub_body, kTmf667, "EventSubscription");
  const std::string id = str(create(c, obj(R"({"name":"a","lifecycleState":"draft"})")), "id");
  REQUIRE(merge_patch(c, kDocuments, id, json::object{{"description", "x"}}).status == 200);
  REQUIRE(merge_patch(c, kDocuments, id, json::object{{"lifecycleState", "published"}}).status == 200);
  REQUIRE(receiver.wait_for_count(1, 30s));
  auto got = receiver.accepted();
  REQUIRE(got.size() == 1);
  CHECK(got[0].event_type() == "DocumentStateChangeEvent");
  CHECK(got[0].resource_id() == id);
  CHECK(got[0].resource_attribute("lifecycleState") == "published");
  CHECK(c.request("DELETE", kBase + "/hub/" + str(hub_body, "id")).status == 204);
}
