// Test-only checker that compares a JSON body against a definition of an
// official TM Forum Swagger 2.0 spec file (../shared/tmf-specs/*.swagger.json).
//
// It covers the subset of JSON Schema that the published TMF files use:
// $ref (to #/definitions/X only), type, required, properties, items, enum,
// allOf and format "date-time". Everything else (other formats, minItems,
// descriptions, examples ...) is ignored on purpose: the goal is to catch
// shape mistakes in server responses, not to be a full schema engine.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace tmfd::test {

class SpecValidator {
public:
    // Loads a swagger JSON file. Throws std::runtime_error if the file cannot
    // be read, is not valid JSON, or has no "definitions" object.
    static SpecValidator load(const std::string& swagger_path);
    // The schemas of an OpenAPI 3 document (components.schemas; $refs to
    // #/components/schemas/X). Throws std::runtime_error when it has none.
    static SpecValidator from_openapi(const boost::json::value& document);

    // Checks `v` against definitions[definition]. Returns human readable
    // problems such as
    //   "$.contactMedium[0].preferred: expected boolean, got string";
    // an empty list means the value is valid. An unknown definition name is
    // reported as a problem rather than thrown, so tests show it in the list.
    std::vector<std::string> validate(const boost::json::value& v,
                                      const std::string& definition) const;

    bool has_definition(const std::string& name) const;

private:
    explicit SpecValidator(boost::json::object definitions);

    boost::json::object definitions_;
};

// Returns the folder ../shared/tmf-specs relative to the project root if it
// exists, else an empty string. The project root is the TMFD_SOURCE_DIR
// compile definition when spec_validator.cpp is built with it; otherwise the
// current directory and its ancestors are tried in turn (so running from a
// build folder inside the project still works).
std::string find_spec_dir();

} // namespace tmfd::test
