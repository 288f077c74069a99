// English strings. Keys are grouped by page; ko.ts mirrors this file.
const en = {
  app: { name: 'AOP', tagline: 'Agent Operations Platform', skip: 'Skip to content' },
  nav: { dashboard: 'Dashboard', crews: 'Crews', executions: 'Executions', settings: 'Settings', team: 'Team', logout: 'Log out', menu: 'Menu', profile: 'Your profile' },
  common: {
    loading: 'Loading…', save: 'Save', saving: 'Saving…', cancel: 'Cancel', delete: 'Delete', edit: 'Edit', run: 'Run', create: 'Create', close: 'Close',
    confirm: 'Confirm', search: 'Search', all: 'All', copy: 'Copy', copied: 'Copied', retry: 'Retry', add: 'Add', remove: 'Remove', none: 'None',
    yes: 'Yes', no: 'No', name: 'Name', description: 'Description', status: 'Status', created: 'Created', updated: 'Updated', actions: 'Actions',
    simulated: 'simulated', simulatedHint: 'Answers come from the offline simulated model, not a real LLM', next: 'Next', previous: 'Previous',
    error: 'Something went wrong', saved: 'Saved', deleted: 'Deleted', optional: 'optional', never: 'never', unknown: 'unknown',
  },
  status: { draft: 'Draft', deployed: 'Deployed', stopped: 'Stopped', pending: 'Pending', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled', skipped: 'Skipped', active: 'Active', test: 'test' },
  auth: {
    login: 'Log in', register: 'Create account', email: 'Email', password: 'Password', name: 'Name', noAccount: 'No account yet?', haveAccount: 'Already have an account?',
    loginTitle: 'Log in to AOP', registerTitle: 'Create your AOP account', sessionExpired: 'Your session ended. Please log in again.', passwordHint: 'At least 8 characters',
  },
  dashboard: {
    title: 'Dashboard', totalCrews: 'Total crews', activeExecutions: 'Active executions', todayCost: "Today's cost", successRate: 'Success rate',
    recent: 'Recent executions', quick: 'Quick actions', runCrew: 'Run a crew', createCrew: 'Create a crew', overTime: 'Executions over time', costTrend: 'Cost trend',
    last14: 'Last 14 days', fromExecutions: 'Computed from the latest executions', noExecutions: 'No executions yet. Run a crew to see it here.',
    completedSeries: 'Completed', failedSeries: 'Failed', costSeries: 'Cost (USD)', viewAll: 'View all',
  },
  crews: {
    title: 'Crews', new: 'New crew', searchPlaceholder: 'Search crews by name or description', filterStatus: 'Filter by status', empty: 'No crews yet',
    emptyHint: 'Create your first crew from a YAML document, or start from the example.', noMatch: 'No crew matches these filters.', agents_one: '{{count}} agent', agents_other: '{{count}} agents', tasks_one: '{{count}} task', tasks_other: '{{count}} tasks',
    deleteTitle: 'Delete crew', deleteConfirm: 'Delete "{{name}}"? Its versions and deployment are removed; past executions stay.', createTitle: 'Create a crew',
    yamlLabel: 'Crew document (YAML)', created: 'Crew created', version: 'v{{n}}', lastUpdated: 'Updated {{date}}',
  },
  crew: {
    overview: 'Overview', agents: 'Agents', tasks: 'Tasks', executions: 'Executions', settings: 'Settings', code: 'Code', versions: 'Versions', version: 'Version', env: 'Environment',
    deploy: 'Deploy', stop: 'Stop', deployed: 'Deployed (version {{n}})', notDeployed: 'Not deployed', endpoint: 'Run endpoint', deployment: 'Deployment',
    process: 'Process', inputs: 'Inputs', noInputs: 'This crew declares no inputs.', unsaved: 'Unsaved changes', saveVersion: 'Save new version', saved: 'Saved as version {{n}}',
    valid: 'Document is valid', errors_one: '{{count}} error', errors_other: '{{count}} errors', warnings_one: '{{count}} warning', warnings_other: '{{count}} warnings', line: 'line {{line}}', format: 'Format', validating: 'Validating…',
    role: 'Role', goal: 'Goal', backstory: 'Backstory', tools: 'Tools', toolsHint: 'Comma-separated, e.g. calculator, web_fetch', llm: 'LLM', llmHint: 'provider/model, e.g. openai/gpt-4o-mini',
    addAgent: 'Add agent', addTask: 'Add task', agentName: 'Agent key', taskName: 'Task key', expectedOutput: 'Expected output', agent: 'Agent', context: 'Context',
    contextHint: 'Task keys this task reads; leave empty for all prior outputs', condition: 'Condition', conditionHint: 'Expression; false skips the task', outputJson: 'Output JSON schema',
    outputJsonInvalid: 'Not valid JSON', noAgents: 'No agents yet. Add one to give tasks someone to do them.', noTasks: 'No tasks yet. Add a task and assign an agent.',
    runTitle: 'Run {{name}}', runStart: 'Start run', required: 'required', testRun: 'Test run (current document)', noVersions: 'No versions yet.',
    diff: 'Diff', compare: 'Compare v{{a}} with v{{b}}', restore: 'Restore', restored: 'Restored as version {{n}}', restoreConfirm: 'Restore version {{n}} as a new version?', current: 'current',
    envTitle: 'Environment variables and secrets', envHint: 'Values are write-only: they are encrypted and never shown again.', envName: 'Variable name', envValue: 'Value',
    envEmpty: 'No variables. Add API keys or settings your tools need.', envSet: 'Set variable', deployedOk: 'Deployed version {{n}}', stoppedOk: 'Deployment stopped',
    noExecutions: 'This crew has not run yet. Press Run to start it.', codeLabel: 'Crew document editor', yaml: 'YAML', json: 'JSON', parseError: 'Cannot read the document: {{msg}}',
    rename: 'Name and description', conflict: 'Someone saved this crew meanwhile; reload to see their version.', reload: 'Reload', discard: 'Discard changes', removeAgent: 'Remove agent {{name}}', removeTask: 'Remove task {{name}}',
  },
  executions: {
    title: 'Executions', empty: 'No executions yet', emptyHint: 'Run a crew from the Crews page; its executions appear here live.', noMatch: 'No execution matches these filters.',
    crew: 'Crew', allCrews: 'All crews', from: 'From', to: 'To', minCost: 'Min cost (USD)', search: 'Search by id or crew', started: 'Started', duration: 'Duration', tokens: 'Tokens', cost: 'Cost',
    id: 'Execution', loadMore: 'Load more', clear: 'Clear filters',
  },
  execution: {
    cancel: 'Cancel run', cancelConfirm: 'Cancel this execution?', cancelRequested: 'Cancellation requested', timeline: 'Timeline', log: 'Live log', trace: 'Trace', metrics: 'Metrics', io: 'Inputs and outputs',
    inputs: 'Inputs', outputs: 'Outputs', error: 'Error', live: 'Live', reconnecting: 'Reconnecting…', ended: 'Stream ended', autoscrollPaused: 'Auto-scroll paused', resume: 'Jump to latest',
    level: 'Level', allLevels: 'All levels', streaming: 'Streaming output', events_one: '{{count}} event', events_other: '{{count}} events', noEvents: 'Waiting for events…', details: 'Details', selectNode: 'Select a node in the trace to see its inputs and outputs.',
    calls: 'LLM calls', p50: 'p50 latency', p95: 'p95 latency', byModel: 'By model', byAgent: 'By agent', model: 'Model', inputTokens: 'Input tokens', outputTokens: 'Output tokens', expandAll: 'Expand all', collapseAll: 'Collapse all',
    toggle: 'Toggle {{name}}', noOutputs: 'No outputs yet.', test: 'Test run', version: 'Version {{n}}',
  },
  settings: {
    title: 'Settings', profile: 'Profile', appearance: 'Appearance', apiKeys: 'API keys', team: 'Team', llm: 'LLM connections',
    theme: 'Theme', light: 'Light', dark: 'Dark', system: 'System', language: 'Language', english: 'English', korean: '한국어 (Korean)',
    changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password', passwordChanged: 'Password changed',
    keyName: 'Key name', scopes: 'Scopes', rateLimit: 'Rate limit (requests/minute)', expires: 'Expires', createKey: 'Create key', keyCreated: 'Copy this key now: it will not be shown again.',
    revoke: 'Revoke', revokeConfirm: 'Revoke key "{{name}}"? Clients using it stop working at once.', regenerate: 'Regenerate', regenerateConfirm: 'Regenerate "{{name}}"? The old secret stops working.',
    noKeys: 'No API keys. Create one to call the API from scripts and CI.', prefix: 'Prefix', lastUsed: 'Last used', members: 'Members', addMember: 'Add member', memberEmail: 'Member email',
    role: 'Role', owner: 'Owner', member: 'Member', ownersOnly: 'Only team owners can manage members.', removeMember: 'Remove {{name}}', teamName: 'Team name',
    providers: 'LLM connections', addProvider: 'Add connection', provider: 'Provider', baseUrl: 'Base URL', apiKey: 'API key', defaultModel: 'Default model', models: 'Models (comma-separated)',
    enabled: 'Enabled', hasKey: 'key stored', noProviders: 'No connections. The simulated provider and environment keys still work; add a connection to use your own endpoint.',
    deleteProvider: 'Delete connection "{{name}}"?', simulatedNote: 'The built-in "simulated" provider (simulated/default) answers offline for demos and tests.',
  },
  errors: { notFound: 'Page not found', notFoundHint: 'The page you opened does not exist.', goHome: 'Go to the dashboard', network: 'Network error: the server could not be reached.' },
};

export default en;
export type Messages = typeof en;
