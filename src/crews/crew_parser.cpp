#include "crews/crew_parser.hpp"

#include "crews/source_document.hpp"
#include "crews/spec_builder.hpp"

namespace aop::crews {

namespace {

void append(Diagnostics& to, Diagnostics&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

ParseResult finish(SourceDocument document, Diagnostics read_errors) {
  ParseResult result;
  auto built = build_crew_spec(std::move(document));
  result.errors = std::move(read_errors);
  append(result.errors, std::move(built.errors));
  result.warnings = std::move(built.warnings);
  result.spec = std::move(built.spec);
  return result;
}

}  // namespace

Format detect_format(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' ? Format::json : Format::yaml;
}

ParseResult parse_crew(std::string_view text, Format format_hint) {
  if (format_hint == Format::automatic) format_hint = detect_format(text);
  auto read = format_hint == Format::json ? read_json_document(text) : read_yaml_document(text);
  if (!read.document) {
    ParseResult failed;
    failed.errors = std::move(read.errors);
    return failed;
  }
  return finish(std::move(*read.document), std::move(read.errors));
}

ParseResult parse_crewai_pair(std::string_view agents_yaml, std::string_view tasks_yaml,
                              std::string_view name) {
  auto agents = read_yaml_document(agents_yaml, "agents");
  auto tasks = read_yaml_document(tasks_yaml, "tasks");
  Diagnostics read_errors = std::move(agents.errors);
  append(read_errors, std::move(tasks.errors));
  if (!agents.document || !tasks.document) {
    ParseResult failed;
    failed.errors = std::move(read_errors);
    return failed;
  }
  SourceDocument combined;
  combined.root = boost::json::object{{"name", name},
                                      {"agents", std::move(agents.document->root)},
                                      {"tasks", std::move(tasks.document->root)}};
  combined.locations = std::move(agents.document->locations);
  combined.locations.merge(std::move(tasks.document->locations));
  return finish(std::move(combined), std::move(read_errors));
}

}  // namespace aop::crews
