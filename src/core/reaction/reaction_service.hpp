#pragma once
// The kernel side of tmfd/reactions.hpp: modules register reactions and timer handlers while they
// start; the service runs them once every module serves, stops them before modules stop, and
// serves their state to operators under /admin/reactions and /admin/timers.
#include <memory>
#include <string>
#include <vector>

#include <tmfd/http.hpp>
#include <tmfd/reactions.hpp>

#include "reaction/reaction_runner.hpp"
#include "reaction/timer_runner.hpp"

namespace tmfd::reaction {

class ReactionService final : public Reactions {
public:
  // Applies the kernel's reaction tables and has the engine wake the timer runner on commits
  // that schedule timers.
  ReactionService(resource::Engine& engine, store::Database& db, delivery::EventStreams& streams,
                  http::RouteRegistry& routes);
  ~ReactionService() override;

  void add(Reaction reaction) override;
  void add_timer_handler(TimerHandler handler) override;

  void start();
  void stop();
  // Prometheus text for /metrics.
  void render_metrics(std::string& out) const;

private:
  void serve_admin(http::RouteRegistry& routes);

  resource::Engine& engine_;
  store::Database& db_;
  delivery::EventStreams& streams_;
  std::vector<std::unique_ptr<ReactionRunner>> reactions_;
  TimerRunner timers_;
  bool started_ = false;
};

} // namespace tmfd::reaction
