// The TMF688 routes for events on a topic, served by the module over the engine's `event` kind:
//   POST {base}/topic/{id}/event            publish an event to the topic
//   GET  {base}/topic/{id}/event            the topic's events (TMF630 list)
//   GET  {base}/topic/{id}/event/{eventId}  one of them
// The topic segment is called {id} because the engine's own /topic/{id} routes share that
// position in the route tree, and one position has one parameter name.
#include <algorithm>
#include <cctype>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

#include "event_kinds.hpp"

namespace tmfd::event {

namespace {

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

void require_topic(Resources& resources, const std::string& topic_id) {
  if (!resources.get(kTopics, topic_id)) throw ApiError::not_found("Topic '" + topic_id + "' does not exist");
}

// GET of one event accepts `fields=` only, as the engine's GET of one resource does. Returns the
// query with the `fields` parameter (or empty).
std::string fields_only(std::string_view query) {
  std::string fields;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!part.empty()) {
      if (!part.starts_with("fields=")) throw ApiError::bad_request("only 'fields' applies when reading one resource");
      fields = std::string(part);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return fields;
}

// The answer to a create, as the engine gives it for its own kinds.
http::Response created_response(WriteResult r) {
  http::Response resp;
  resp.status = r.status;
  if (r.status == 201) {
    resp.headers.emplace_back("ETag", etag(r.version));
    resp.headers.emplace_back("Location", std::move(r.location));
  }
  resp.body = std::move(r.body);
  return resp;
}

} // namespace

void add_topic_event_routes(http::RouteRegistry& routes, Resources& resources) {
  const std::string collection = kTopics + "/{id}/event";

  routes.add(http::Method::Post, collection, [&resources](http::Request& req, http::Reply reply) {
    const std::string topic_id(req.param("id"));
    require_topic(resources, topic_id);  // an unknown topic is an unknown path: 404 first, as the router does
    http::require_json_content_type(req.content_type);
    json::object body = parse_object(req.body);
    // The event belongs to the topic of its path, whatever the body says.
    body["topic"] = json::object{{"id", topic_id}};
    resources.create(kEvents, std::move(body), req.correlation_id,
                     [reply = std::move(reply)](WriteResult r) { reply(created_response(std::move(r))); });
  }, http::RouteInfo{"event", "event", "create"});

  routes.add(http::Method::Get, collection, [&resources](http::Request& req, http::Reply reply) {
    const std::string topic_id(req.param("id"));
    require_topic(resources, topic_id);
    // The engine applies the client's filters, paging, sort and fields= (400 when malformed).
    std::string query = "topic.id=" + percent_encode(topic_id);
    if (!req.query.empty()) query += "&" + req.query;
    ListPage page = resources.list(kEvents, query);
    std::string body = "[";
    for (std::size_t i = 0; i < page.bodies.size(); ++i) {
      if (i) body += ',';
      body += page.bodies[i];
    }
    body += ']';
    auto resp = http::Response::json(200, std::move(body));
    resp.headers.emplace_back("X-Total-Count", std::to_string(page.total));
    resp.headers.emplace_back("X-Result-Count", std::to_string(page.bodies.size()));
    reply(std::move(resp));
  }, http::RouteInfo{"event", "event", "list"});

  routes.add(http::Method::Get, collection + "/{eventId}", [&resources](http::Request& req, http::Reply reply) {
    const std::string topic_id(req.param("id"));
    const std::string event_id(req.param("eventId"));
    const std::string fields = fields_only(req.query);
    require_topic(resources, topic_id);
    auto found = resources.get(kEvents, event_id);
    if (!found || topic_id_of(parse_object(found->body)) != topic_id)
      throw ApiError::not_found("Event '" + event_id + "' does not exist on topic '" + topic_id + "'");
    std::string body = std::move(found->body);
    if (!fields.empty()) {
      // The projection the engine applies to lists, on a list of this one event.
      auto page = resources.list(kEvents, "id=" + percent_encode(event_id) + "&" + fields);
      if (page.bodies.size() == 1) body = std::move(page.bodies.front());
    }
    auto resp = http::Response::json(200, std::move(body));
    resp.headers.emplace_back("ETag", etag(found->version));
    reply(std::move(resp));
  }, http::RouteInfo{"event", "event", "get"});
}

} // namespace tmfd::event
