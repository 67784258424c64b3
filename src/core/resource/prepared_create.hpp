#pragma once
// What Resources::prepare_create leaves for UnitOfWork::create(const PreparedCreate&): everything
// of a creation that needs no stored state, done on the caller's thread.
#include <optional>
#include <string>

#include <tmfd/error.hpp>
#include <tmfd/event.hpp>
#include <tmfd/unit_of_work.hpp>

#include "resource/engine.hpp"

namespace tmfd {

struct PreparedCreateState {
  const resource::Engine::Kind* kind = nullptr;
  // The id the body carried when the creation keeps it: the unit first looks for it (AlreadyExists).
  std::string kept_id;
  json::object resource;       // completed and validated
  std::string text;            // its serialization (size checked)
  std::optional<Event> event;  // its create event, when the kind has one
  std::optional<ApiError> refusal;  // why the body was refused; then the fields above are empty
};

} // namespace tmfd
