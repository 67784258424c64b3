// The SQLite file the real binary writes, read back with the SQLite C API: WAL, the table layout
// (generated columns and their indexes), the outbox, persistence across restarts, group commit
// and its metrics.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "database_access.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "json_helpers.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using Catch::Matchers::Contains;

namespace {

HttpResponse post(HttpClient& c, const std::string& given, const std::string& family, const std::string& corr) {
  return c.request("POST", kIndividuals, boost::json::serialize(individual(given, family)),
                   {{"Content-Type", "application/json"}, {"X-Correlation-ID", corr}});
}

HttpResponse patch(HttpClient& c, const std::string& id, const boost::json::object& body, const std::string& corr,
                   const std::string& if_match = {}) {
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/merge-patch+json"},
                                                           {"X-Correlation-ID", corr}};
  if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
  return c.request("PATCH", kIndividuals + "/" + id, boost::json::serialize(body), headers);
}

std::string metrics_text(std::uint16_t port) {
  HttpClient c(port);
  auto r = c.get("/metrics");
  REQUIRE(r.status == 200);
  return r.body;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Layout

TEST_CASE("the database is in WAL mode", "[store]") {
  TmfdProcess p;
  HttpClient c(p.port());
  REQUIRE(c.post_json(kIndividuals, individual("W", "Wal")).status == 201);
  ReadOnlyDb db(p.database_path());
  CHECK(db.scalar("PRAGMA journal_mode") == "wal");
  // WAL is a property of the file: it stays after the process stops.
  REQUIRE(p.stop() == 0);
  ReadOnlyDb after(p.database_path());
  CHECK(after.scalar("PRAGMA journal_mode") == "wal");
}

TEST_CASE("indexed attributes are generated columns with an index each", "[store]") {
  TmfdProcess p;
  ReadOnlyDb db(p.database_path());
  // pragma table_xinfo: hidden = 2 for a virtual generated column, 3 for a stored one.
  std::map<std::string, std::string> hidden;
  for (auto& row : db.query("SELECT name, hidden FROM pragma_table_xinfo('r_party_individual')"))
    hidden[*row[0]] = *row[1];
  INFO("columns: " << hidden.size());
  CHECK(hidden.count("id") == 1);
  CHECK(hidden.count("version") == 1);
  CHECK(hidden.count("body") == 1);
  for (const char* col : {"ix_familyName", "ix_givenName", "ix_status"}) {
    INFO(col);
    REQUIRE(hidden.count(col) == 1);
    CHECK((hidden[col] == "2" || hidden[col] == "3"));
    CHECK(db.count("SELECT count(*) FROM pragma_index_list('r_party_individual') l "
                   "JOIN pragma_index_info(l.name) i WHERE i.name = ?",
                   {col}) == 1);
  }
  // The other kinds follow the same rule.
  std::set<std::string> org;
  for (auto& row : db.query("SELECT name FROM pragma_table_xinfo('r_party_organization')")) org.insert(*row[0]);
  CHECK(org.count("ix_tradingName") == 1);
  CHECK(org.count("ix_name") == 1);
}

TEST_CASE("a filter on an indexed attribute is an index look-up", "[store]") {
  TmfdProcess p;
  HttpClient c(p.port());
  std::string smith;
  for (int i = 0; i < 20; ++i) {
    auto r = c.post_json(kIndividuals, individual("G" + std::to_string(i), i == 7 ? "Smith" : "Other" + std::to_string(i)));
    REQUIRE(r.status == 201);
    if (i == 7) smith = id_of(r);
  }
  ReadOnlyDb db(p.database_path());
  // The generated column holds the attribute's value.
  CHECK(db.scalar("SELECT ix_familyName FROM r_party_individual WHERE id = ?", {smith}) == "Smith");
  CHECK(db.scalar("SELECT ix_status FROM r_party_individual WHERE id = ?", {smith}) == "initialized");

  std::string plan;
  for (auto& row : db.query("EXPLAIN QUERY PLAN SELECT body FROM r_party_individual WHERE ix_familyName = ?", {"Smith"}))
    plan += row.back().value_or("") + "\n";
  INFO(plan);
  CHECK_THAT(plan, Contains("USING INDEX"));
  CHECK_THAT(plan, Contains("ix_familyName"));
  CHECK_THAT(plan, !Contains("SCAN r_party_individual\n"));

  // And the API's filter on that attribute finds exactly that row.
  auto list = c.get(kIndividuals + "?familyName=Smith");
  REQUIRE(list.status == 200);
  REQUIRE(list.json().as_array().size() == 1);
  CHECK(list.json().as_array()[0].at("id").as_string() == smith);
}

TEST_CASE("the migrations table exists", "[store]") {
  TmfdProcess p;
  ReadOnlyDb db(p.database_path());
  CHECK(db.count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tmfd_migrations'") == 1);
  std::set<std::string> cols;
  for (auto& row : db.query("SELECT name FROM pragma_table_info('tmfd_migrations')")) cols.insert(*row[0]);
  CHECK(cols.count("module") == 1);
  CHECK(cols.count("version") == 1);
  CHECK(cols.count("applied_at") == 1);
  CHECK(db.count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tmfd_outbox'") == 1);
}

// ---------------------------------------------------------------------------------------------
// Outbox

TEST_CASE("every committed write has exactly one outbox row in commit order and refused writes have none", "[store][outbox]") {
  TmfdProcess p;
  HttpClient c(p.port());

  struct Expected {
    std::string event_type;
    std::string resource_id;
    std::string correlation_id;
  };
  std::vector<Expected> expected;

  auto a = post(c, "Ann", "Outbox", "ob-1");
  REQUIRE(a.status == 201);
  const std::string ida = id_of(a);
  expected.push_back({"IndividualCreateEvent", ida, "ob-1"});

  auto b = post(c, "Bob", "Outbox", "ob-2");
  REQUIRE(b.status == 201);
  const std::string idb = id_of(b);
  expected.push_back({"IndividualCreateEvent", idb, "ob-2"});

  REQUIRE(patch(c, ida, {{"givenName", "Anna"}}, "ob-3").status == 200);
  expected.push_back({"IndividualAttributeValueChangeEvent", ida, "ob-3"});

  REQUIRE(patch(c, ida, {{"status", "validated"}}, "ob-4").status == 200);
  expected.push_back({"IndividualStateChangeEvent", ida, "ob-4"});

  // Refused or empty writes leave no row.
  CHECK(patch(c, ida, {{"givenName", "Anna"}}, "ob-noop").status == 200);         // nothing changes
  CHECK(patch(c, ida, {{"givenName", "X"}}, "ob-412", "\"1\"").status == 412);    // stale ETag
  CHECK(patch(c, "no-such-id", {{"givenName", "X"}}, "ob-404").status == 404);     // unknown resource
  CHECK(c.request("POST", kIndividuals, R"({"givenName":"NoFamily"})",
                  {{"Content-Type", "application/json"}, {"X-Correlation-ID", "ob-400"}}).status == 400);

  auto del = c.request("DELETE", kIndividuals + "/" + idb, {}, {{"X-Correlation-ID", "ob-5"}});
  REQUIRE(del.status == 204);
  expected.push_back({"IndividualDeleteEvent", idb, "ob-5"});
  CHECK(c.request("DELETE", kIndividuals + "/" + idb, {}, {{"X-Correlation-ID", "ob-404b"}}).status == 404);

  ReadOnlyDb db(p.database_path());
  auto rows = db.query("SELECT seq, event_type, resource_id, correlation_id, domain, resource_type, payload, event_id "
                       "FROM tmfd_outbox ORDER BY seq");
  REQUIRE(rows.size() == expected.size());
  long long previous_seq = 0;
  std::set<std::string> event_ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    const long long seq = std::stoll(*rows[i][0]);
    CHECK(seq > previous_seq);
    previous_seq = seq;
    CHECK(*rows[i][1] == expected[i].event_type);
    CHECK(*rows[i][2] == expected[i].resource_id);
    CHECK(*rows[i][3] == expected[i].correlation_id);
    CHECK(*rows[i][4] == "party");
    CHECK(*rows[i][5] == "individual");
    auto payload = boost::json::parse(*rows[i][6]).as_object();
    CHECK(payload.at("eventType").as_string() == expected[i].event_type);
    CHECK(payload.at("correlationId").as_string() == expected[i].correlation_id);
    CHECK(payload.at("eventId").as_string() == *rows[i][7]);
    CHECK(payload.at("event").at("individual").at("id").as_string() == expected[i].resource_id);
    event_ids.insert(*rows[i][7]);
  }
  CHECK(event_ids.size() == rows.size());
  // The state change carries the new state.
  auto state = boost::json::parse(*rows[3][6]).as_object();
  CHECK(state.at("event").at("individual").at("status").as_string() == "validated");

  // The metrics agree with the table.
  CHECK(metric_value(metrics_text(p.port()), "tmfd_events_written_total") == static_cast<double>(rows.size()));
}

TEST_CASE("a PATCH changing the state and another attribute writes both events in one commit", "[store][outbox]") {
  // The one case where a write has two outbox rows: TMF has an attribute-change and a
  // state-change event, and such a PATCH is both.
  TmfdProcess p;
  HttpClient c(p.port());
  auto a = post(c, "Two", "Events", "two-1");
  REQUIRE(a.status == 201);
  const std::string id = id_of(a);
  const double commits_before = metric_value(metrics_text(p.port()), "tmfd_store_commits_total");
  REQUIRE(patch(c, id, {{"givenName", "Deux"}, {"status", "validated"}}, "two-2").status == 200);
  CHECK(metric_value(metrics_text(p.port()), "tmfd_store_commits_total") == commits_before + 1);

  ReadOnlyDb db(p.database_path());
  auto rows = db.query("SELECT seq, event_type FROM tmfd_outbox WHERE correlation_id = 'two-2' ORDER BY seq");
  REQUIRE(rows.size() == 2);
  CHECK(*rows[0][1] == "IndividualAttributeValueChangeEvent");
  CHECK(*rows[1][1] == "IndividualStateChangeEvent");
  CHECK(std::stoll(*rows[1][0]) == std::stoll(*rows[0][0]) + 1);
}

TEST_CASE("concurrent writes: one outbox row each, seq in the order the rows were committed", "[store][outbox]") {
  TmfdProcess p;
  const std::uint16_t port = p.port();
  auto writer = [port](int n) {
    HttpClient c(port);
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i) {
      auto r = c.post_json(kIndividuals, individual("T" + std::to_string(n) + "-" + std::to_string(i), "Concurrent"));
      if (r.status != 201) throw std::runtime_error("POST answered " + std::to_string(r.status));
      ids.push_back(id_of(r));
    }
    return ids;
  };
  auto f1 = std::async(std::launch::async, writer, 1);
  auto f2 = std::async(std::launch::async, writer, 2);
  auto f3 = std::async(std::launch::async, writer, 3);
  std::set<std::string> acknowledged;
  for (auto* f : {&f1, &f2, &f3})
    for (auto& id : f->get()) acknowledged.insert(id);
  REQUIRE(acknowledged.size() == 120);

  ReadOnlyDb db(p.database_path());
  // One row per write, each resource once.
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox") == 120);
  CHECK(db.count("SELECT count(DISTINCT resource_id) FROM tmfd_outbox") == 120);
  // Commit order: the outbox sequence follows the order in which the resource rows were inserted
  // (their rowid), because both are written in the same transaction by the one writer thread.
  auto rows = db.query("SELECT o.seq, o.resource_id, r.rowid FROM tmfd_outbox o "
                       "LEFT JOIN r_party_individual r ON r.id = o.resource_id ORDER BY o.seq");
  REQUIRE(rows.size() == 120);
  long long previous_seq = 0, previous_rowid = 0;
  for (auto& row : rows) {
    REQUIRE(row[2].has_value());  // every event's resource exists
    CHECK(acknowledged.count(*row[1]) == 1);
    const long long seq = std::stoll(*row[0]), rowid = std::stoll(*row[2]);
    CHECK(seq > previous_seq);
    CHECK(rowid > previous_rowid);
    previous_seq = seq;
    previous_rowid = rowid;
  }
}

// ---------------------------------------------------------------------------------------------
// Restart

TEST_CASE("a restart keeps data, versions and the outbox sequence", "[store][restart]") {
  TmfdProcess p;
  std::string id;
  long long last_seq = 0;
  {
    HttpClient c(p.port());
    auto r = c.post_json(kIndividuals, individual("R", "Restart"));
    REQUIRE(r.status == 201);
    CHECK(r.header("etag") == "\"1\"");
    id = id_of(r);
    auto p2 = patch(c, id, {{"givenName", "R2"}}, "rs-1");
    REQUIRE(p2.status == 200);
    CHECK(p2.header("etag") == "\"2\"");
    ReadOnlyDb db(p.database_path());
    last_seq = std::stoll(db.scalar("SELECT max(seq) FROM tmfd_outbox"));
  }
  REQUIRE(p.stop() == 0);
  p.restart();

  HttpClient c(p.port());
  auto got = c.get(kIndividuals + "/" + id);
  REQUIRE(got.status == 200);
  CHECK(got.header("etag") == "\"2\"");
  CHECK(got.json().at("givenName").as_string() == "R2");

  // The ETag continues: the old one is stale, the current one is accepted and then bumped.
  CHECK(patch(c, id, {{"givenName", "stale"}}, "rs-2", "\"1\"").status == 412);
  auto p3 = patch(c, id, {{"givenName", "R3"}}, "rs-3", "\"2\"");
  REQUIRE(p3.status == 200);
  CHECK(p3.header("etag") == "\"3\"");

  ReadOnlyDb db(p.database_path());
  CHECK(db.scalar("SELECT version FROM r_party_individual WHERE id = ?", {id}) == "3");
  // The outbox keeps its rows and its sequence continues after them.
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox WHERE seq <= ?", {std::to_string(last_seq)}) == 2);
  auto after = db.query("SELECT seq, correlation_id FROM tmfd_outbox WHERE seq > ? ORDER BY seq", {std::to_string(last_seq)});
  REQUIRE(after.size() == 1);
  CHECK(*after[0][1] == "rs-3");
}

TEST_CASE("a restart with nothing written keeps an empty, valid store", "[store][restart]") {
  TmfdProcess p;
  p.restart();
  HttpClient c(p.port());
  CHECK(c.get("/health/ready").status == 200);
  auto list = c.get(kIndividuals);
  REQUIRE(list.status == 200);
  CHECK(list.json().as_array().empty());
}

// ---------------------------------------------------------------------------------------------
// Writer metrics and group commit

TEST_CASE("/metrics: commits increase and the group-size histogram counts every commit", "[store][metrics]") {
  TmfdProcess p;
  auto m0 = metrics_text(p.port());
  const double commits0 = metric_value(m0, "tmfd_store_commits_total");
  REQUIRE(commits0 >= 0);
  CHECK(metric_value(m0, "tmfd_store_writer_group_size_count") == commits0);

  HttpClient c(p.port());
  std::string id;
  for (int i = 0; i < 5; ++i) {
    auto r = c.post_json(kIndividuals, individual("M" + std::to_string(i), "Metrics"));
    REQUIRE(r.status == 201);
    id = id_of(r);
  }
  REQUIRE(patch(c, id, {{"givenName", "M5"}}, "m-1").status == 200);
  CHECK(patch(c, "absent", {{"givenName", "M5"}}, "m-2").status == 404);  // a refused write is still a job

  auto m1 = metrics_text(p.port());
  const double commits1 = metric_value(m1, "tmfd_store_commits_total");
  INFO(m1);
  // Sequential writes from one client: each has its own commit.
  CHECK(commits1 - commits0 == 7);
  CHECK(metric_value(m1, "tmfd_store_writer_group_size_count") == commits1);
  CHECK(metric_value(m1, "tmfd_store_writer_group_size_sum") == 7);
  CHECK(metric_value(m1, R"(tmfd_store_writer_group_size_bucket{le="1"})") == commits1);
  CHECK(metric_value(m1, R"(tmfd_store_writer_group_size_bucket{le="+Inf"})") == commits1);
  CHECK(metric_value(m1, "tmfd_store_writer_queue_depth") == 0);
  // Reads are not writes.
  for (int i = 0; i < 3; ++i) REQUIRE(c.get(kIndividuals).status == 200);
  CHECK(metric_value(metrics_text(p.port()), "tmfd_store_commits_total") == commits1);
}

TEST_CASE("/health/ready reports a writer stuck behind another process's lock", "[store][health]") {
  // A one-second threshold, and a busy timeout long enough that the writer waits on the lock
  // (rather than failing the write) for as long as the test holds it.
  TmfdOptions options;
  std::string yaml = TmfdProcess::default_yaml("$DIR", true);
  const std::string storage = "storage:\n";
  yaml.replace(yaml.find(storage), storage.size(), storage + "  stuck_writer_seconds: 1\n  busy_timeout_ms: 120000\n");
  options.full_yaml = yaml;
  TmfdProcess p(options);
  const std::uint16_t port = p.port();
  auto ready = [port] {
    HttpClient c(port);
    return c.get("/health/ready");
  };
  {
    auto r = ready();
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json().at("checks").at("store").as_string() == "up");
    CHECK(r.json().at("checks").at("writer").as_string() == "ok");
  }

  auto lock = std::make_unique<WriteLock>(p.database_path());
  auto write = std::async(std::launch::async, [port] {
    HttpClient c(port);
    return c.post_json(kIndividuals, individual("S", "Stuck"));
  });
  HttpResponse stuck;
  REQUIRE(eventually(
      [&] {
        stuck = ready();
        return stuck.status == 503;
      },
      std::chrono::seconds(20)));
  INFO(stuck.body);
  CHECK(stuck.json().at("status").as_string() == "not ready");
  CHECK(stuck.json().at("checks").at("store").as_string() == "up");  // reads still work (WAL)
  CHECK(stuck.json().at("checks").at("writer").as_string() == "stuck");
  REQUIRE(write.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);

  lock->release();
  REQUIRE(write.get().status == 201);
  // The reply goes out on commit, a moment before the writer marks itself idle.
  HttpResponse after;
  CHECK(eventually(
      [&] {
        after = ready();
        return after.status == 200;
      },
      std::chrono::seconds(20)));
  INFO(after.body);
  CHECK(after.json().at("checks").at("writer").as_string() == "ok");
}

TEST_CASE("writes queued behind a busy writer are committed together, failures isolated", "[store][metrics][group]") {
  // /health/ready reports the writer stuck once a group has waited a second: the test's sign that
  // the writer took the first write. The write waits on the lock as long as the test holds it.
  TmfdOptions options;
  std::string yaml = TmfdProcess::default_yaml("$DIR", true);
  const std::string storage = "storage:\n";
  yaml.replace(yaml.find(storage), storage.size(), storage + "  stuck_writer_seconds: 1\n  busy_timeout_ms: 120000\n");
  options.full_yaml = yaml;
  TmfdProcess p(options);
  const std::uint16_t port = p.port();
  std::string existing;
  {
    HttpClient c(port);
    auto r = c.post_json(kIndividuals, individual("E", "Existing"));
    REQUIRE(r.status == 201);
    existing = id_of(r);
  }
  const double commits0 = metric_value(metrics_text(port), "tmfd_store_commits_total");

  auto lock = std::make_unique<WriteLock>(p.database_path());
  auto send_post = [port](std::string given) {
    HttpClient c(port);
    return c.post_json(kIndividuals, individual(given, "Grouped"));
  };
  // The first write is taken by the writer thread, which then waits for the lock...
  auto first = std::async(std::launch::async, send_post, std::string("first"));
  REQUIRE(eventually(
      [&] {
        HttpClient c(port);
        auto r = c.get("/health/ready");
        return r.status == 503 && r.body.find("\"writer\":\"stuck\"") != std::string::npos;
      },
      std::chrono::seconds(30)));
  REQUIRE(first.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
  // ...so these queue up behind it. One of them fails (unknown resource).
  std::vector<std::future<HttpResponse>> queued;
  for (int i = 0; i < 3; ++i) queued.push_back(std::async(std::launch::async, send_post, "q" + std::to_string(i)));
  queued.push_back(std::async(std::launch::async, [port] {
    HttpClient c(port);
    return patch(c, "no-such-individual", {{"givenName", "x"}}, "grp-404");
  }));
  // The writer holds the first write, so all four wait in the queue: none can be taken.
  REQUIRE(eventually([&] { return metric_value(metrics_text(port), "tmfd_store_writer_queue_depth") == 4; },
                     std::chrono::seconds(10)));

  // Readers are not blocked by the writer (WAL): reads and readiness still answer (readiness with
  // the store up, the writer stuck).
  {
    HttpClient c(port);
    auto ready = c.get("/health/ready");
    INFO(ready.body);
    CHECK(ready.json().at("checks").at("store").as_string() == "up");
    CHECK(c.get(kIndividuals + "/" + existing).status == 200);
  }

  lock->release();
  REQUIRE(first.get().status == 201);
  std::vector<int> statuses;
  for (auto& f : queued) statuses.push_back(f.get().status);
  CHECK(statuses == std::vector<int>{201, 201, 201, 404});

  auto m = metrics_text(port);
  INFO(m);
  const double commits = metric_value(m, "tmfd_store_commits_total") - commits0;
  // The first write alone, then the four queued ones in one transaction.
  CHECK(commits == 2);
  CHECK(metric_value(m, "tmfd_store_writer_group_size_count") == metric_value(m, "tmfd_store_commits_total"));
  CHECK(metric_value(m, "tmfd_store_writer_group_size_sum") == 1 + 5);  // the set-up write, then five jobs
  CHECK(metric_value(m, "tmfd_store_writer_queue_depth") == 0);

  // The failed job rolled back alone: the three queued creates and the first are stored, each with
  // its event.
  ReadOnlyDb db(p.database_path());
  CHECK(db.count("SELECT count(*) FROM r_party_individual WHERE ix_familyName = 'Grouped'") == 4);
  CHECK(db.count("SELECT count(*) FROM tmfd_outbox") == 5);
}

// Checkpoints run on a thread of their own (store/wal_checkpointer.hpp), not inside the commit
// of whichever write passed the log's size limit: the log is still copied back and reused from
// its start, so its file stays far smaller than everything written through it.
TEST_CASE("checkpoints run off the writer and keep the write-ahead log reused", "[store][checkpoint]") {
  TmfdOptions options;
  options.full_yaml = "server:\n  host: 127.0.0.1\n  port: 0\n"
                      "storage:\n  path: $DIR/tmfd.db\n  checkpoint_pages: 1000\n"
                      "plugins:\n  directory: " TMFD_PLUGIN_DIR "\n"
                      "modules:\n  party:\n    enabled: true\n";
  TmfdProcess p(options);
  HttpClient c(p.port());
  auto body = individual("Large", "Checkpoint");
  body["note"] = std::string(32 * 1024, 'c');
  // Each write logs its 32 KiB body twice (the resource and its event): ~26 MB through the log,
  // over six times the 4 MiB (1000 pages) checkpoint size.
  const std::size_t writes = 400;
  for (std::size_t i = 0; i < writes; ++i) REQUIRE(c.post_json(kIndividuals, body).status == 201);
  REQUIRE(eventually([&] { return metric_value(metrics_text(p.port()), "tmfd_store_checkpoints_total") >= 2; },
                     std::chrono::seconds(10)));
  const auto wal_bytes = std::filesystem::file_size(p.database_path() + "-wal");
  INFO("WAL file: " << wal_bytes << " bytes");
  CHECK(wal_bytes < writes * body["note"].as_string().size() / 2);  // at most half of it
  CHECK(total_count(c, kIndividuals, "familyName=Checkpoint") == writes);
  // Every answered write was synced first.
  CHECK(metric_value(metrics_text(p.port()), "tmfd_store_wal_syncs_total") >= 1);
}
