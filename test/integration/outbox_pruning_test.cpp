// The outbox is pruned once every consumer's stored cursor has passed an entry and the entry is
// older than delivery.outbox_retention_seconds; never ahead of a hub that has not delivered yet.
#include <catch2/catch.hpp>

#include <string>

#include <boost/json.hpp>

#include "callback_receiver.hpp"
#include "database_access.hpp"
#include "http_client.hpp"
#include "http_helpers.hpp"
#include "outbox_reader.hpp"
#include "timing.hpp"
#include "tmfd_process.hpp"

using namespace tmfd::test;
using namespace std::chrono_literals;

namespace {

TmfdOptions pruning_options(int retention_seconds) {
  TmfdOptions o;
  o.extra_yaml = "delivery:\n  allowed_callbacks: [\"127.0.0.1\"]\n  prune_interval_ms: 50\n"
                 "  backoff_initial_ms: 20\n  backoff_max_ms: 100\n  max_attempts: 1000000\n"
                 "  outbox_retention_seconds: " + std::to_string(retention_seconds) + "\n";
  return o;
}

void create_individuals(HttpClient& client, int n) {
  for (int i = 0; i < n; ++i) {
    auto r = client.post_json("/tmf-api/party/v4/individual",
                              boost::json::object{{"givenName", "G"}, {"familyName", "F" + std::to_string(i)}});
    REQUIRE(r.status == 201);
  }
}

// Pruning passes tmfd has finished so far.
double prune_passes(HttpClient& client) {
  auto r = client.get("/metrics");
  REQUIRE(r.status == 200);
  return metric_value(r.body, "tmfd_outbox_prune_passes_total");
}

// Waits until two more pruning passes have finished than when called: at least one of them began
// after the call, and saw everything committed before it.
void wait_for_a_later_prune_pass(HttpClient& client) {
  const double before = prune_passes(client);
  REQUIRE(before >= 0);
  REQUIRE(eventually([&] { return prune_passes(client) >= before + 2; }, 20s));
}

} // namespace

TEST_CASE("the outbox is pruned behind the slowest hub, never ahead of it", "[delivery][pruning]") {
  CallbackReceiver receiver;
  receiver.stop();  // refuses connections: the hub cannot get past its first event
  TmfdProcess tmfd(pruning_options(0));
  HttpClient client(tmfd.port());
  auto hub = client.post_json("/tmf-api/party/v4/hub", boost::json::object{{"callback", receiver.url()}});
  REQUIRE(hub.status == 201);
  create_individuals(client, 5);

  // Pruning has run since the events were written; the hub has delivered nothing, so every entry
  // must stay.
  wait_for_a_later_prune_pass(client);
  CHECK(read_outbox(tmfd).size() == 5);

  receiver.start();
  REQUIRE(receiver.wait_for_count(5, std::chrono::steady_clock::now() + 20s));
  // Everything but the newest entry, which stays as the mark the numbering goes on from.
  CHECK(eventually([&] { return read_outbox(tmfd).size() == 1; }, 20s));
  const auto newest_seq = [&] { return ReadOnlyDb(tmfd.database_path()).count("SELECT max(seq) FROM tmfd_outbox"); };
  const long long kept = newest_seq();
  REQUIRE(kept >= 5);
  // After a restart, numbering goes on after it: a sequence is never handed out twice.
  tmfd.restart();
  HttpClient again(tmfd.port());
  create_individuals(again, 1);
  CHECK(newest_seq() > kept);
}

TEST_CASE("delivered outbox entries stay for the retention period", "[delivery][pruning]") {
  TmfdOptions options = pruning_options(3600);
  TmfdProcess tmfd(options);
  HttpClient client(tmfd.port());
  create_individuals(client, 3);  // no consumer at all: only the retention keeps them
  wait_for_a_later_prune_pass(client);
  CHECK(read_outbox(tmfd).size() == 3);
}
