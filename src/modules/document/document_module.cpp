// The document module: TMF667 Document v4 on the kernel's resource engine.
//   {base}/document[/{id}]   documents: list, create, get, PUT, PATCH, delete; attachments by
//                            reference (url) or inline (base64 content, bounded in size)
//   {base}/hub[/{id}]        served by the kernel for every API base path with kinds
// TMF667 defines no documentSpecification resource (only a reference to one inside a document).
#include <tmfd/plugin.hpp>

#include "document_kinds.hpp"

namespace tmfd::document {

class DocumentModule final : public Module {
public:
  config::Schema config_schema() const override {
    return {config::Field{
        .name = "max_inline_content_bytes",
        .type = config::Type::Integer,
        .description = "largest inline attachment (binaryAttachment[].content) in decoded bytes; 0: inline "
                       "content refused, attachments by reference only",
        .default_value = 262144,
        .min = 0,
        .max = 1073741824}};
  }

  void start(ModuleContext& ctx) override {
    Settings settings;
    settings.max_inline_content_bytes = ctx.config().at("max_inline_content_bytes").to_number<std::int64_t>();
    ctx.resources().add(document_kind(), document_hooks(settings));
    add_put_route(ctx.routes(), ctx.resources());
  }
};

} // namespace tmfd::document

TMFD_PLUGIN("document", "0.1.0", tmfd::document::DocumentModule, {nullptr})
