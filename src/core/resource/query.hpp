#pragma once
// The TMF630 list query as the resource engine names it. The query AST and its parser live below
// the store (query/list_query.hpp), which executes them; the engine reads them unqualified.
#include "query/list_query.hpp"

namespace tmfd::resource {

using query::Filter;
using query::FilterOp;
using query::kMaxFilterValues;
using query::kMaxFilters;
using query::ListQuery;
using query::parse_list_query;
using query::percent_decode;
using query::SortKey;

} // namespace tmfd::resource
