#include "task_flow_routes.hpp"

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "json_fields.hpp"
#include "order_paths.hpp"
#include "orchestrator.hpp"

namespace tmfd::ordering {

namespace {

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

std::vector<std::string> task_ids(Resources& resources, const std::string& flow_id) {
  auto flow = resources.get(kProcessFlows, flow_id);
  if (!flow) throw ApiError::not_found("processFlow '" + flow_id + "' does not exist");
  std::vector<std::string> ids;
  const auto body = parse_object(flow->body);  // kept: `refs` points into it
  if (const auto* refs = array_at(body, "taskFlow"))
    for (const auto& r : *refs)
      if (r.is_object()) ids.push_back(text_at(r.get_object(), "id"));
  return ids;
}

StoredResource task_of_flow(Resources& resources, const std::string& flow_id, const std::string& task_id) {
  const auto ids = task_ids(resources, flow_id);
  auto task = std::find(ids.begin(), ids.end(), task_id) != ids.end() ? resources.get(kTaskFlows, task_id) : std::nullopt;
  if (!task) throw ApiError::not_found("taskFlow '" + task_id + "' does not exist in processFlow '" + flow_id + "'");
  return *task;
}

void require_patch_content_type(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media == "application/merge-patch+json") return;
  http::require_json_content_type(content_type);
}

} // namespace

void add_task_flow_routes(http::RouteRegistry& routes, Resources& resources, std::shared_ptr<Orchestrator> orchestrator) {
  const std::string collection = kProcessFlows + "/{id}/taskFlow";

  routes.add(http::Method::Get, collection, [&resources](http::Request& req, http::Reply reply) {
    const auto ids = task_ids(resources, std::string(req.param("id")));
    std::string body = "[";
    std::size_t total = 0, count = 0;
    if (!ids.empty()) {
      std::string id_list;
      for (const auto& id : ids) id_list += (id_list.empty() ? "" : ",") + percent_encode(id);
      // The engine applies the client's filters, paging, sorting and fields= (400 when malformed).
      auto page = resources.list(kTaskFlows, "id=" + id_list + (req.query.empty() ? "" : "&" + req.query));
      for (std::size_t i = 0; i < page.bodies.size(); ++i) body += (i ? "," : "") + page.bodies[i];
      total = page.total;
      count = page.bodies.size();
    }
    body += "]";
    auto resp = http::Response::json(200, std::move(body));
    resp.headers.emplace_back("X-Total-Count", std::to_string(total));
    resp.headers.emplace_back("X-Result-Count", std::to_string(count));
    reply(std::move(resp));
  }, http::RouteInfo{"processFlow", "taskFlow", "list"});

  routes.add(http::Method::Get, collection + "/{taskFlowId}", [&resources](http::Request& req, http::Reply reply) {
    auto task = task_of_flow(resources, std::string(req.param("id")), std::string(req.param("taskFlowId")));
    auto resp = http::Response::json(200, std::move(task.body));
    resp.headers.emplace_back("ETag", etag(task.version));
    reply(std::move(resp));
  }, http::RouteInfo{"processFlow", "taskFlow", "get"});

  routes.add(http::Method::Patch, collection + "/{taskFlowId}",
             [&resources, orchestrator](http::Request& req, http::Reply reply) {
    const std::string task_id(req.param("taskFlowId"));
    task_of_flow(resources, std::string(req.param("id")), task_id);
    require_patch_content_type(req.content_type);
    const auto patch = parse_object(req.body);
    json::object output;
    std::string state;
    for (const auto& [key, value] : patch) {
      if (key == "state") {
        if (!value.is_string()) throw ApiError::invalid_attribute("state", "must be a string");
        state = value.get_string();
      } else if (key == "characteristic") {
        if (!value.is_array()) throw ApiError::invalid_attribute("characteristic", "must be an array");
        for (const auto& c : value.get_array()) {
          if (!c.is_object() || text_at(c.get_object(), "name").empty() || !c.get_object().contains("value"))
            throw ApiError::invalid_attribute("characteristic", "entries need a name and a value");
          output[text_at(c.get_object(), "name")] = c.get_object().at("value");
        }
      } else {
        throw ApiError::invalid_attribute(std::string(key), "cannot be changed: a task flow's steps are the orchestrator's");
      }
    }
    if (state != "completed")
      throw ApiError(409, "INVALID_STATE_TRANSITION", "Illegal state transition",
                     "a task flow is finished with {\"state\": \"completed\"}; other moves are the orchestrator's");
    resources.run(req.context, [orchestrator, task_id, output](UnitOfWork& work) {
      orchestrator->complete_step(work, task_id, output);
    }, [&resources, task_id, reply = std::move(reply)](UnitOfWorkResult result) {
      if (!result.committed) {
        const auto& e = *result.error;
        reply(http::Response::json(e.http_status(), e.body()));
        return;
      }
      auto task = resources.get(kTaskFlows, task_id);
      auto resp = http::Response::json(200, task ? task->body : "{}");
      if (task) resp.headers.emplace_back("ETag", etag(task->version));
      reply(std::move(resp));
    });
  }, http::RouteInfo{"processFlow", "taskFlow", "patch"});
}

} // namespace tmfd::ordering
