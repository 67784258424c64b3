#include "fulfilment_config.hpp"

#include <algorithm>
#include <stdexcept>

#include "json_fields.hpp"
#include "pools.hpp"

namespace tmfd::ordering {

namespace {

config::Field field(const char* name, config::Type type, const char* description) {
  config::Field f;
  f.name = name;
  f.type = type;
  f.description = description;
  return f;
}

config::Field with_default(config::Field f, json::value value) {
  f.default_value = std::move(value);
  return f;
}

config::Field step_schema() {
  config::Field step = field("step", config::Type::Object, "one step of a plan");
  auto executor = field("executor", config::Type::String, "allocate, generate, wait, http, manual, or a plugin's");
  executor.required = true;
  auto on_failure = field("on_failure", config::Type::String, "after the last attempt: fail the item, or hold the order");
  on_failure.allowed = {"fail", "hold"};
  step.children = {executor,
                   field("after", config::Type::StringList, "steps of the same specification that must complete first"),
                   field("actions", config::Type::StringList, "item actions the step runs for (default: add)"),
                   field("pool", config::Type::String, "allocate: the pool"),
                   field("characteristic", config::Type::String, "allocate, generate: the characteristic it fills"),
                   field("pattern", config::Type::String, "generate: the value, with {order}, {item}, {seq}, {random}"),
                   field("seconds", config::Type::Integer, "wait: how long"),
                   field("url", config::Type::String, "http: the endpoint, http:// or https://"),
                   field("method", config::Type::String, "http: POST (default) or PUT"),
                   field("timeout_seconds", config::Type::Integer, "fail an attempt still running after this long"),
                   field("max_attempts", config::Type::Integer, "attempts before the step fails (default 3)"),
                   field("retry_ms", config::Type::Integer, "wait before the second attempt, doubled each time (default 200)"),
                   field("point_of_no_return", config::Type::Boolean, "once done, the order can no longer be cancelled"),
                   on_failure};
  return step;
}

} // namespace

config::Schema ordering_config_schema() {
  auto steps = field("steps", config::Type::Map, "steps of one specification, by name, in the order they run");
  steps.children = {step_schema()};
  auto plan = field("plan", config::Type::Object, "the plan of one specification");
  plan.children = {steps};
  auto plans = field("plans", config::Type::Map, "fulfilment plans by service or resource specification id");
  plans.children = {plan};

  auto pool = field("pool", config::Type::Object, "an address or number pool");
  pool.children = {field("cidr", config::Type::String, "IPv4 pool: the network, e.g. 198.51.100.0/24"),
                   field("first", config::Type::String, "number range: the first number"),
                   field("last", config::Type::String, "number range: the last number")};
  auto pools = field("pools", config::Type::Map, "pools that allocate steps take values from, by name");
  pools.children = {pool};

  auto expected = with_default(field("expected_completion_seconds", config::Type::Integer,
                                     "an order not final after this long raises a jeopardy event (once)"),
                               3600);
  expected.min = 1;
  auto ponr = with_default(field("point_of_no_return", config::Type::String,
                                 "none: only steps marked point_of_no_return pass it; inProgress: as soon as fulfilment starts"),
                           "none");
  ponr.allowed = {"none", "inProgress"};
  auto invalid = with_default(field("on_invalid_order", config::Type::String,
                                    "refuse: an order breaking a business rule is refused (422); reject: it is created rejected, with why"),
                              "refuse");
  invalid.allowed = {"refuse", "reject"};
  auto ca_file = field("http_ca_file", config::Type::String,
                       "PEM certificates that https:// endpoints of http steps must chain to; default: the system's");
  return {plans, pools, expected, ponr, invalid, ca_file};
}

FulfilmentConfig read_fulfilment_config(const json::object& block, const std::vector<std::string>& executors) {
  FulfilmentConfig out;
  if (const auto* v = block.if_contains("expected_completion_seconds"); v && v->is_int64())
    out.expected_completion_seconds = v->as_int64();
  if (text_at(block, "point_of_no_return") == "inProgress") out.point_of_no_return = "inProgress";
  out.http_ca_file = text_at(block, "http_ca_file");

  if (const auto* pools = object_at(block, "pools"))
    for (const auto& [name, value] : *pools) {
      const std::string at = "modules.ordering.pools." + std::string(name);
      if (!value.is_object()) throw std::invalid_argument(at + ": must be a mapping");
      PoolConfig p{std::string(name), text_at(value.get_object(), "cidr"), text_at(value.get_object(), "first"),
                   text_at(value.get_object(), "last")};
      check_pool(p, at);  // throws with the problem
      out.pools[p.name] = p;
    }

  if (const auto* plans = object_at(block, "plans"))
    for (const auto& [spec, value] : *plans) {
      const std::string at = "modules.ordering.plans." + std::string(spec);
      const json::object* steps = value.is_object() ? object_at(value.get_object(), "steps") : nullptr;
      if (!steps) throw std::invalid_argument(at + ".steps: missing");
      std::vector<StepTemplate> list;
      for (const auto& [name, step_value] : *steps) {
        const std::string step_at = at + ".steps." + std::string(name);
        const auto& s = step_value.get_object();
        StepTemplate t;
        t.name = name;
        t.executor = text_at(s, "executor");
        t.parameters = s;
        t.after = texts_at(s, "after");
        t.actions = texts_at(s, "actions");
        if (t.actions.empty()) t.actions = {"add"};
        for (const auto& a : t.actions)
          if (a != "add" && a != "modify" && a != "delete" && a != "suspend" && a != "resume")
            throw std::invalid_argument(step_at + ".actions: unknown action '" + a + "'");
        if (!executors.empty() && std::find(executors.begin(), executors.end(), t.executor) == executors.end())
          throw std::invalid_argument(step_at + ".executor: unknown executor '" + t.executor + "'");
        if (const auto* v = s.if_contains("max_attempts"); v && v->is_int64()) t.max_attempts = static_cast<int>(v->as_int64());
        if (t.max_attempts < 1 || t.max_attempts > 100) throw std::invalid_argument(step_at + ".max_attempts: must be 1 to 100");
        if (const auto* v = s.if_contains("retry_ms"); v && v->is_int64()) t.first_retry_ms = v->as_int64();
        if (t.first_retry_ms < 0) throw std::invalid_argument(step_at + ".retry_ms: must not be negative");
        if (const auto* v = s.if_contains("point_of_no_return"); v && v->is_bool()) t.point_of_no_return = v->as_bool();
        t.hold_on_failure = text_at(s, "on_failure") == "hold";
        for (const auto& before : t.after)
          if (std::none_of(list.begin(), list.end(), [&](const StepTemplate& o) { return o.name == before; }))
            throw std::invalid_argument(step_at + ".after: '" + before + "' is not a step listed before it");
        if (t.executor == "allocate") {
          const auto pool = text_at(s, "pool");
          if (!out.pools.contains(pool)) throw std::invalid_argument(step_at + ".pool: no pool named '" + pool + "'");
          if (text_at(s, "characteristic").empty()) throw std::invalid_argument(step_at + ".characteristic: missing");
        }
        if (t.executor == "generate" && text_at(s, "characteristic").empty())
          throw std::invalid_argument(step_at + ".characteristic: missing");
        if (t.executor == "wait") {
          const auto* v = s.if_contains("seconds");
          if (!v || !v->is_int64() || v->as_int64() < 0) throw std::invalid_argument(step_at + ".seconds: missing or negative");
        }
        if (t.executor == "http") {
          const auto url = text_at(s, "url");
          if (!url.starts_with("http://") && !url.starts_with("https://"))
            throw std::invalid_argument(step_at + ".url: must be an http:// or https:// URL");
        }
        list.push_back(std::move(t));
      }
      out.plans[std::string(spec)] = std::move(list);
    }
  return out;
}

} // namespace tmfd::ordering
