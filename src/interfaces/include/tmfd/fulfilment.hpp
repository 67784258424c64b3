#pragma once
// The ordering module's service for other plugins: executors for fulfilment steps, and the
// control points of an order (hold, resume, point of no return, manual steps). Everything runs
// inside a unit of work the caller owns (tmfd/unit_of_work.hpp), so that what an adapter writes
// (its own records, a trouble ticket) and what the order does commit together or not at all.
//
// The ordering module publishes it as Orchestration::kServiceName. A plugin that uses it depends
// on "ordering" (TMFD_PLUGIN), and adds its executors in start():
//
//   auto orchestration = ctx.services().get<ordering::Orchestration>(ordering::Orchestration::kServiceName);
//   orchestration->add_executor("servicenow-case", std::make_shared<CaseExecutor>(...));
//
// A step of a plan (modules.ordering.plans in tmfd.yaml) then names it: `executor: servicenow-case`.
#include <memory>
#include <string>
#include <string_view>

#include <tmfd/json.hpp>
#include <tmfd/unit_of_work.hpp>

namespace tmfd::ordering {

// What a step is asked to do.
struct StepRequest {
  std::string order_id;        // the product order
  std::string step_id;         // = the TMF701 taskFlow id
  std::string step_name;       // as configured
  std::string action;          // the item's action: add, modify, delete, suspend, resume
  int attempt = 1;             // 1 on the first run, more on retries
  json::object parameters;     // the step's configuration block
  json::object specification;  // {id, name, href} of the service or resource specification
  json::value customer;        // the order's customer reference, or null
};

struct StepOutcome {
  enum class Status {
    Completed,  // done: `output` becomes characteristics of the resource or service
    Failed,     // this attempt failed with `error`: retried with backoff, up to the step's attempts
    Waiting,    // started elsewhere (a person, a remote system): finished later with
                // Orchestration::complete_step or fail_step
  };
  Status status = Status::Completed;
  json::object output;
  std::string error;
};

// An executor runs on the store's writer, inside the unit of work of the step: it must not block
// (no network, no sleeping). Work that takes time answers Waiting and finishes later.
class StepExecutor {
public:
  virtual ~StepExecutor() = default;
  virtual StepOutcome start(const StepRequest& request, UnitOfWork& work) = 0;
  // Undoes a completed step while its order is cancelled or its product terminated (release what
  // was allocated, say). `output` is what the step produced.
  virtual void undo(const StepRequest& /*request*/, const json::object& /*output*/, UnitOfWork& /*work*/) {}
};

class Orchestration {
public:
  static constexpr std::string_view kServiceInterface = "tmfd.ordering.Orchestration/1";
  static constexpr std::string_view kServiceName = "ordering.orchestration";

  virtual ~Orchestration() = default;

  // Registers an executor under `name` (in the plugin's start(); std::invalid_argument for a
  // name taken). Plans naming an executor nobody registered refuse to start.
  virtual void add_executor(const std::string& name, std::shared_ptr<StepExecutor> executor) = 0;

  // Control points, each inside the caller's unit of work. Throw ApiError (404 unknown order or
  // step, 409 illegal in the order's state) and then change nothing.
  // Holds an order in progress: no further step starts until resume. The order goes `held`.
  virtual void hold(UnitOfWork& work, const std::string& order_id, const std::string& reason) = 0;
  // Resumes a held order: steps that failed are tried again from their first attempt.
  virtual void resume(UnitOfWork& work, const std::string& order_id) = 0;
  // Passes the order's point of no return: cancellation and amendment are refused from now on.
  virtual void pass_point_of_no_return(UnitOfWork& work, const std::string& order_id) = 0;
  virtual bool past_point_of_no_return(UnitOfWork& work, const std::string& order_id) = 0;
  // Finishes a step that answered Waiting (a manual task, a remote case).
  virtual void complete_step(UnitOfWork& work, const std::string& step_id, const json::object& output) = 0;
  virtual void fail_step(UnitOfWork& work, const std::string& step_id, const std::string& error) = 0;
};

} // namespace tmfd::ordering
