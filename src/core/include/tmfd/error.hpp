#pragma once
// Typed API errors. Anything a client did wrong is thrown as ApiError and turned into the
// TMF630 error body {code, reason, message, status, @type} with the matching HTTP status.
// Never let a raw exception reach the client: the HTTP front maps anything else to 500.
#include <stdexcept>
#include <string>

namespace tmfd {

class ApiError : public std::runtime_error {
public:
  ApiError(int http_status, std::string code, std::string reason, std::string message = {})
      : std::runtime_error(reason + (message.empty() ? "" : ": " + message)),
        http_status_(http_status), code_(std::move(code)), reason_(std::move(reason)),
        message_(std::move(message)) {}

  int http_status() const noexcept { return http_status_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& reason() const noexcept { return reason_; }
  const std::string& detail() const noexcept { return message_; }

  // The TMF error body as JSON text.
  std::string body() const;

  // Convenience constructors for the statuses the platform uses.
  static ApiError bad_request(std::string message) {
    return {400, "BAD_REQUEST", "Bad request", std::move(message)};
  }
  static ApiError missing_attribute(const std::string& name) {
    return {400, "MISSING_ATTRIBUTE", "Missing mandatory attribute",
            "attribute '" + name + "' is mandatory"};
  }
  static ApiError invalid_attribute(const std::string& name, const std::string& why) {
    return {400, "INVALID_ATTRIBUTE", "Invalid attribute", "attribute '" + name + "' " + why};
  }
  static ApiError not_found(std::string message) {
    return {404, "NOT_FOUND", "Resource not found", std::move(message)};
  }
  static ApiError conflict(std::string message) {
    return {409, "CONFLICT", "Conflict", std::move(message)};
  }
  static ApiError precondition_failed(std::string message) {
    return {412, "PRECONDITION_FAILED", "Precondition failed", std::move(message)};
  }
  static ApiError unsupported_media_type(std::string message) {
    return {415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", std::move(message)};
  }

private:
  int http_status_;
  std::string code_;
  std::string reason_;
  std::string message_;
};

// Builds the TMF error body for any status (used for 404/405/413/431 produced by the HTTP front).
std::string error_body(int http_status, const std::string& code, const std::string& reason,
                       const std::string& message);

} // namespace tmfd
