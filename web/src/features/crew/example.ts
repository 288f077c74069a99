// The document a new crew starts from: runs offline on the simulated provider.
export const exampleCrewYaml = `name: research-crew
description: Research a topic and write a short report
process: sequential
inputs:
  topic: {type: string, required: true, description: Subject to research}
agents:
  researcher:
    role: "{topic} Senior Researcher"
    goal: Uncover recent developments in {topic}
    backstory: You find the most relevant facts and explain them clearly.
    llm: simulated/default
  writer:
    role: Report Writer
    goal: Turn research into a concise report about {topic}
    backstory: You write short, well-structured reports.
    llm: simulated/default
tasks:
  research_task:
    description: Research {topic} and list the key facts
    expected_output: A list of 5 bullet points
    agent: researcher
  report_task:
    description: Write a short report about {topic} from the research
    expected_output: Three paragraphs in Markdown
    agent: writer
    context: [research_task]
`;
