#pragma once
// JSON helpers for the integration tests: reading response bodies (with Catch2 REQUIREs) and
// building request bodies.
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http_client.hpp"

namespace tmfd::test {

// The string attribute `key` of `o`, or "" when it is absent or not a string.
std::string str(const boost::json::object& o, const std::string& key);

// The response body as a JSON object; REQUIREs that it is one (the body is shown on failure).
boost::json::object as_object(const HttpResponse& r);

// The response body as a JSON array; REQUIREs that it is one (the body is shown on failure).
boost::json::array as_array(const HttpResponse& r);

// REQUIREs the response status `status` and a JSON object body, and returns the object; on
// failure `context` (what was asked) and the body are shown.
boost::json::object require_object(const HttpResponse& r, int status, const std::string& context);

// The "id" of the JSON object in the response body (throws if there is none).
std::string id_of(const HttpResponse& r);

// A JSON object literal, parsed (for bodies easier to read as JSON text).
boost::json::object obj(const char* text);

// `base` with the attributes of `extra` added or replaced.
boost::json::object with(boost::json::object base, const boost::json::object& extra);

// `base` without the attribute `key`.
boost::json::object without(boost::json::object base, const std::string& key);

} // namespace tmfd::test
