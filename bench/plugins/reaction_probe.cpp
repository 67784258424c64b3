// A plugin for bench/stateful_bench.sh (built with the test plugins, never installed):
//   POST /bench/unitOfWork   body: a JSON array of individuals, created in one unit of work
//   reaction "probe"         on every IndividualCreateEvent, records when its handler started
//                            (unless TMFD_PROBE_REACTION=off), after the event's eventTime and
//                            after the event's commit: the in-process bus hands each event over
//                            right after its commit, so the bus handler's clock reading is taken
//                            as the commit time (it is later by the bus's hop, some microseconds)
//   GET /bench/reactionLatency  {"count": n, "micros": [...], "sinceCommitMicros": [...]}
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <tmfd/error.hpp>
#include <tmfd/module.hpp>
#include <tmfd/plugin.hpp>
#include <tmfd/unit_of_work.hpp>

namespace {

using namespace tmfd;

const std::string kIndividuals = "/tmf-api/party/v4/individual";

// "2026-12-02T01:02:03.456Z" -> Unix microseconds.
std::int64_t micros_of(const std::string& iso) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &ms) != 7)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000000 + ms * 1000;
}

std::int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ReactionProbe final : public Module {
public:
  void start(ModuleContext& ctx) override {
    Resources* resources = &ctx.resources();
    ctx.routes().add(http::Method::Post, "/bench/unitOfWork", [resources](http::Request& req, http::Reply reply) {
      // Prepared here, on the I/O thread, as a module prepares creations that need no stored
      // state (Resources::prepare_create): the writer only writes.
      auto prepared = std::make_shared<std::vector<PreparedCreate>>();
      const json::value bodies = parse_value(req.body);
      for (auto& b : bodies.as_array())
        prepared->push_back(resources->prepare_create(kIndividuals, b.as_object(), req.context, {.keep_id = false}));
      resources->run(req.context,
                     [prepared](UnitOfWork& work) {
                       for (auto& p : *prepared) {
                         auto r = work.create(p);
                         if (!r.ok()) throw *r.error;
                       }
                     },
                     [reply](UnitOfWorkResult r) {
                       if (!r.committed) return reply(http::Response::json(r.error->http_status(), r.error->body()));
                       reply(http::Response::json(201, "{}"));
                     });
    });
    ctx.routes().add(http::Method::Get, "/bench/reactionLatency", [this](http::Request&, http::Reply reply) {
      json::object out;
      json::array micros, since_commit;
      {
        std::lock_guard lock(mutex_);
        for (auto m : latencies_) micros.push_back(m);
        for (auto m : since_commit_) since_commit.push_back(m);
      }
      out["count"] = micros.size();
      out["micros"] = std::move(micros);
      out["sinceCommitMicros"] = std::move(since_commit);
      reply(http::Response::json(200, json::serialize(out)));
    });
    const char* reaction = std::getenv("TMFD_PROBE_REACTION");
    if (reaction && std::string(reaction) == "off") return;
    bus_ = &ctx.bus();
    subscription_ = bus_->subscribe("reaction_probe", [this](const Event& e) {
      if (e.event_type != "IndividualCreateEvent") return;
      std::lock_guard lock(mutex_);
      committed_at_[e.event_id] = std::chrono::steady_clock::now();
    });
    Reaction probe;
    probe.name = "probe";
    probe.filter = "eventType=IndividualCreateEvent";
    probe.handler = [this](const Event& event, UnitOfWork&) {
      const auto started = now_micros();
      auto time = parse_object(event.payload).at("eventTime");
      const auto latency = started - micros_of(std::string(time.as_string()));
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(mutex_);
      latencies_.push_back(latency);
      // The bus may not have run yet for this event: then the reaction was quicker than the bus
      // hop, and the figure is counted as 0.
      auto seen = committed_at_.find(event.event_id);
      since_commit_.push_back(seen == committed_at_.end()
                                  ? 0
                                  : std::chrono::duration_cast<std::chrono::microseconds>(now - seen->second).count());
      if (seen != committed_at_.end()) committed_at_.erase(seen);
    };
    ctx.reactions().add(std::move(probe));
  }

  void stop() noexcept override {
    if (bus_) bus_->unsubscribe(subscription_);
  }

private:
  std::mutex mutex_;
  std::vector<std::int64_t> latencies_, since_commit_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> committed_at_;
  EventBus* bus_ = nullptr;
  std::uint64_t subscription_ = 0;
};

} // namespace

TMFD_PLUGIN("reaction_probe", "1.0.0", ReactionProbe, {"party", nullptr})
