#pragma once
// HTTP helpers for the integration tests: requests with a JSON body and extra headers, the
// X-Total-Count of a collection, TMF error answers, and values read from /metrics.
#include <cstddef>
#include <string>

#include <boost/json/object.hpp>

#include "http_client.hpp"

namespace tmfd::test {

// The TMF632 individual collection: the party module's simplest kind, the vehicle of many tests.
inline const std::string kIndividuals = "/tmf-api/party/v4/individual";

// A minimal individual body (its two mandatory attributes).
boost::json::object individual(const std::string& given, const std::string& family);

// POSTs `body` to `path` as application/json, followed by the `extra` headers.
HttpResponse post_json(HttpClient& c, const std::string& path, const boost::json::object& body, Headers extra = {});

// PATCHes `path`/`id` with `body` as application/merge-patch+json, followed by the `extra` headers.
HttpResponse merge_patch(HttpClient& c, const std::string& path, const std::string& id, const boost::json::object& body,
                         Headers extra = {});

// CHECKs what the 201 answer `r` to a POST on `collection_path` says of the resource `created` it
// returned: an id (REQUIREd), href and Location `collection_path`/id, ETag "1", and @type `type`.
// Returns the id.
std::string check_created(const HttpResponse& r, const boost::json::object& created, const std::string& collection_path,
                          const std::string& type);

// The X-Total-Count of a GET of `path` (with `query` if not empty); REQUIREs 200.
std::size_t total_count(HttpClient& c, const std::string& path, const std::string& query = {});

// `s` with every character but letters and digits percent-encoded, for a query value.
std::string url_encode(const std::string& s);

// REQUIREs a TMF error answer with `status` and CHECKs its body: code and reason set, "status" the
// status as text, the message naming `mention` (unless empty), and valid as `spec_file`'s Error.
boost::json::object check_error_response(const HttpResponse& r, int status, const std::string& spec_file,
                                         const std::string& mention = {});

// check_error_response, and CHECKs that the body's @type is "Error" too.
boost::json::object check_typed_error_response(const HttpResponse& r, int status, const std::string& spec_file,
                                               const std::string& mention = {});

// The value of the /metrics line "name value" (`name` with its full label text, if any), or -1
// if absent. A series without labels may also be written "name{} value": both are accepted.
double metric_value(const std::string& text, const std::string& name);

} // namespace tmfd::test
