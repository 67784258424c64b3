#pragma once
// The kernel as the fuzz targets drive it: a real SQLite store in a temporary folder, the
// resource engine with one resource kind that uses every engine feature (mandatory, typed,
// immutable and indexed attributes, a lifecycle, events), a few stored resources, the router
// and the HTTP front. Built once per fuzzing process; each input runs against it.
#include <memory>
#include <string>

#include <tmfd/http.hpp>
#include <tmfd/resource_kind.hpp>

namespace tmfd::fuzz {

// The collection the stack serves, and an id stored in it.
inline constexpr const char* kBasePath = "/tmf-api/fuzz/v4";
inline constexpr const char* kCollection = "/tmf-api/fuzz/v4/widget";
inline constexpr const char* kStoredId = "w-1";

class Stack {
public:
  Stack();
  ~Stack();

  // Runs a request through the front and router to the engine and waits for its reply.
  http::Response handle(http::Request request);
  // The same engine's in-process list (the query parser and its SQL).
  void list(const std::string& query);
  // Serves the front on 127.0.0.1 through the real Beast transport; returns the port.
  unsigned short serve_http();

  struct Parts;

private:
  std::unique_ptr<Parts> parts_;
};

// The one resource kind of the stack: mandatory, typed, immutable and indexed attributes, a
// lifecycle with an alias, the standard events.
ResourceKind widget_kind();

// Prints what went wrong and aborts: libFuzzer then saves the input as a crash.
[[noreturn]] void fail_input(const std::string& what, const std::string& detail);

// Aborts (so libFuzzer reports the input) when a response breaks the platform's rules: a 500,
// or an error body that is not the TMF error JSON.
void check_response(int status, const std::string& content_type, const std::string& body);

} // namespace tmfd::fuzz
