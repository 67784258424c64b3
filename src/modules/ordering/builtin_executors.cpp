#include "builtin_executors.hpp"

#include <chrono>
#include <random>

#include "json_fields.hpp"
#include "orchestrator.hpp"
#include "pools.hpp"

namespace tmfd::ordering {

namespace {

class AllocateExecutor final : public StepExecutor {
public:
  explicit AllocateExecutor(const FulfilmentConfig& config) : config_(config) {}

  StepOutcome start(const StepRequest& request, UnitOfWork& work) override {
    const std::string pool_name = text_at(request.parameters, "pool");
    const auto& pool = config_.pools.at(pool_name);
    auto value = cursors_.allocate(work, pool, request.order_id, request.step_id);
    if (!value) return {StepOutcome::Status::Failed, {}, "pool '" + pool_name + "' has no free value"};
    return {StepOutcome::Status::Completed, json::object{{text_at(request.parameters, "characteristic"), *value}}, {}};
  }

  void undo(const StepRequest& request, const json::object& output, UnitOfWork& work) override {
    const auto* value = output.if_contains(text_at(request.parameters, "characteristic"));
    if (value && value->is_string()) release(work, text_at(request.parameters, "pool"), std::string(value->get_string()));
  }

private:
  const FulfilmentConfig& config_;
  PoolCursors cursors_;
};

// {order}: the order id; {item}: the step's id; {random}: 8 random hex digits. Unique values (a
// serial number) should use {random} or {item}: nothing checks that a generated value is free.
class GenerateExecutor final : public StepExecutor {
public:
  StepOutcome start(const StepRequest& request, UnitOfWork&) override {
    std::string pattern = text_at(request.parameters, "pattern");
    if (pattern.empty()) pattern = "{random}";
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
      auto take = [&](std::string_view token, const std::string& value) {
        if (pattern.compare(i, token.size(), token) != 0) return false;
        out += value;
        i += token.size();
        return true;
      };
      if (take("{order}", request.order_id) || take("{item}", request.step_id) || take("{random}", random_hex())) continue;
      out += pattern[i++];
    }
    return {StepOutcome::Status::Completed, json::object{{text_at(request.parameters, "characteristic"), out}}, {}};
  }

private:
  static std::string random_hex() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char kDigits[] = "0123456789ABCDEF";
    auto bits = engine();
    std::string out(8, '0');
    for (auto& c : out) {
      c = kDigits[bits & 15];
      bits >>= 4;
    }
    return out;
  }
};

// Waits on a durable timer: the step completes when it fires, after a restart too.
class WaitExecutor final : public StepExecutor {
public:
  StepOutcome start(const StepRequest& request, UnitOfWork& work) override {
    const auto* seconds = request.parameters.if_contains("seconds");
    const auto wait = std::chrono::seconds(seconds && seconds->is_int64() ? seconds->as_int64() : 0);
    work.schedule_timer("wait:" + request.step_id, kWaitTimer, std::chrono::system_clock::now() + wait,
                        json::object{{"order", request.order_id}, {"step", request.step_id}, {"attempt", request.attempt}});
    return {StepOutcome::Status::Waiting, {}, {}};
  }
};

// A person does it, and says so by PATCHing the task flow to completed (or through
// Orchestration::complete_step). Its task flow raises TaskFlowInformationRequiredEvent.
class ManualExecutor final : public StepExecutor {
public:
  StepOutcome start(const StepRequest&, UnitOfWork&) override { return {StepOutcome::Status::Waiting, {}, {}}; }
};

} // namespace

std::map<std::string, std::shared_ptr<StepExecutor>> builtin_executors(const FulfilmentConfig& config) {
  return {{"allocate", std::make_shared<AllocateExecutor>(config)},
          {"generate", std::make_shared<GenerateExecutor>()},
          {"wait", std::make_shared<WaitExecutor>()},
          {"manual", std::make_shared<ManualExecutor>()}};
}

} // namespace tmfd::ordering
