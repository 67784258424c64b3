#pragma once
// One keep-alive HTTP(S) connection to a hub's callback, used by one delivery lane at a time.
// Asio and Beast headers: include only from the delivery TUs that run coroutines.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "delivery/callback_policy.hpp"

namespace tmfd::delivery {

struct SendOutcome {
  bool delivered = false;  // a 2xx answer
  int status = 0;          // the HTTP status, 0 when none was received
  std::string error;       // why it failed, for logs, the API and dead letters
};

struct ClientTimeouts {
  std::chrono::milliseconds connect{2000};
  std::chrono::milliseconds request{5000};
};

class CallbackClient {
public:
  CallbackClient(boost::asio::any_io_executor executor, boost::asio::ssl::context& tls,
                 const CallbackPolicy& policy, CallbackUrl url, ClientTimeouts timeouts);
  ~CallbackClient();
  CallbackClient(const CallbackClient&) = delete;
  CallbackClient& operator=(const CallbackClient&) = delete;

  // POSTs one event. Connects (again) when there is no open connection; after any failure the
  // connection is dropped so the next attempt starts clean. Never throws.
  boost::asio::awaitable<SendOutcome> post(std::string_view body, std::string_view correlation_id);
  // Closes the connection, cancelling an operation in flight.
  void close();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tmfd::delivery
