// 한국어 문자열 (en.ts와 같은 구조).
import type { Messages } from './en';

const ko: Messages = {
  app: { name: 'AOP', tagline: '에이전트 운영 플랫폼', skip: '본문으로 건너뛰기' },
  nav: { dashboard: '대시보드', crews: '크루', executions: '실행 기록', settings: '설정', team: '팀', logout: '로그아웃', menu: '메뉴', profile: '내 프로필' },
  common: {
    loading: '불러오는 중…', save: '저장', saving: '저장 중…', cancel: '취소', delete: '삭제', edit: '편집', run: '실행', create: '만들기', close: '닫기',
    confirm: '확인', search: '검색', all: '전체', copy: '복사', copied: '복사했습니다', retry: '다시 시도', add: '추가', remove: '제거', none: '없음',
    yes: '예', no: '아니요', name: '이름', description: '설명', status: '상태', created: '생성일', updated: '수정일', actions: '작업',
    simulated: '시뮬레이션', simulatedHint: '실제 LLM이 아닌 오프라인 시뮬레이션 모델의 응답입니다', next: '다음', previous: '이전',
    error: '문제가 발생했습니다', saved: '저장했습니다', deleted: '삭제했습니다', optional: '선택', never: '없음', unknown: '알 수 없음',
  },
  status: { draft: '초안', deployed: '배포됨', stopped: '중지됨', pending: '대기 중', running: '실행 중', completed: '완료', failed: '실패', cancelled: '취소됨', skipped: '건너뜀', active: '활성', test: '테스트' },
  auth: {
    login: '로그인', register: '계정 만들기', email: '이메일', password: '비밀번호', name: '이름', noAccount: '아직 계정이 없으신가요?', haveAccount: '이미 계정이 있으신가요?',
    loginTitle: 'AOP에 로그인', registerTitle: 'AOP 계정 만들기', sessionExpired: '세션이 만료되었습니다. 다시 로그인해 주세요.', passwordHint: '8자 이상',
  },
  dashboard: {
    title: '대시보드', totalCrews: '전체 크루', activeExecutions: '진행 중인 실행', todayCost: '오늘 비용', successRate: '성공률',
    recent: '최근 실행', quick: '빠른 작업', runCrew: '크루 실행', createCrew: '크루 만들기', overTime: '기간별 실행 수', costTrend: '비용 추이',
    last14: '최근 14일', fromExecutions: '최근 실행 기록으로 계산했습니다', noExecutions: '아직 실행 기록이 없습니다. 크루를 실행하면 여기에 표시됩니다.',
    completedSeries: '완료', failedSeries: '실패', costSeries: '비용 (USD)', viewAll: '모두 보기',
  },
  crews: {
    title: '크루', new: '새 크루', searchPlaceholder: '이름이나 설명으로 크루 검색', filterStatus: '상태로 필터', empty: '아직 크루가 없습니다',
    emptyHint: 'YAML 문서로 첫 크루를 만들거나 예제에서 시작해 보세요.', noMatch: '조건에 맞는 크루가 없습니다.', agents_one: '에이전트 {{count}}개', agents_other: '에이전트 {{count}}개', tasks_one: '태스크 {{count}}개', tasks_other: '태스크 {{count}}개',
    deleteTitle: '크루 삭제', deleteConfirm: '"{{name}}" 크루를 삭제할까요? 버전과 배포는 삭제되고 지난 실행 기록은 남습니다.', createTitle: '크루 만들기',
    yamlLabel: '크루 문서 (YAML)', created: '크루를 만들었습니다', version: 'v{{n}}', lastUpdated: '{{date}} 수정',
  },
  crew: {
    overview: '개요', agents: '에이전트', tasks: '태스크', executions: '실행 기록', settings: '설정', code: '코드', versions: '버전', version: '버전', env: '환경 변수',
    deploy: '배포', stop: '중지', deployed: '배포됨 (버전 {{n}})', notDeployed: '배포되지 않음', endpoint: '실행 엔드포인트', deployment: '배포',
    process: '프로세스', inputs: '입력값', noInputs: '이 크루에는 선언된 입력값이 없습니다.', unsaved: '저장하지 않은 변경 사항', saveVersion: '새 버전으로 저장', saved: '버전 {{n}}(으)로 저장했습니다',
    valid: '문서가 올바릅니다', errors_one: '오류 {{count}}개', errors_other: '오류 {{count}}개', warnings_one: '경고 {{count}}개', warnings_other: '경고 {{count}}개', line: '{{line}}행', format: '형식', validating: '검사 중…',
    role: '역할', goal: '목표', backstory: '배경 설정', tools: '도구', toolsHint: '쉼표로 구분, 예: calculator, web_fetch', llm: 'LLM', llmHint: 'provider/model 형식, 예: openai/gpt-4o-mini',
    addAgent: '에이전트 추가', addTask: '태스크 추가', agentName: '에이전트 키', taskName: '태스크 키', expectedOutput: '기대 결과', agent: '담당 에이전트', context: '컨텍스트',
    contextHint: '이 태스크가 참고할 태스크 키. 비워 두면 앞선 모든 결과를 사용합니다', condition: '실행 조건', conditionHint: '조건식. 거짓이면 태스크를 건너뜁니다', outputJson: '출력 JSON 스키마',
    outputJsonInvalid: '올바른 JSON이 아닙니다', noAgents: '에이전트가 없습니다. 태스크를 맡을 에이전트를 추가하세요.', noTasks: '태스크가 없습니다. 태스크를 추가하고 에이전트를 지정하세요.',
    runTitle: '{{name}} 실행', runStart: '실행 시작', required: '필수', testRun: '테스트 실행 (현재 문서)', noVersions: '아직 버전이 없습니다.',
    diff: '비교', compare: 'v{{a}}와 v{{b}} 비교', restore: '복원', restored: '버전 {{n}}(으)로 복원했습니다', restoreConfirm: '버전 {{n}}을(를) 새 버전으로 복원할까요?', current: '현재',
    envTitle: '환경 변수와 시크릿', envHint: '값은 쓰기 전용입니다. 암호화되어 저장되며 다시 표시되지 않습니다.', envName: '변수 이름', envValue: '값',
    envEmpty: '변수가 없습니다. 도구에 필요한 API 키나 설정을 추가하세요.', envSet: '변수 저장', deployedOk: '버전 {{n}}을(를) 배포했습니다', stoppedOk: '배포를 중지했습니다',
    noExecutions: '이 크루는 아직 실행되지 않았습니다. 실행 버튼을 눌러 시작하세요.', codeLabel: '크루 문서 편집기', yaml: 'YAML', json: 'JSON', parseError: '문서를 읽을 수 없습니다: {{msg}}',
    rename: '이름과 설명', conflict: '그 사이에 다른 사람이 이 크루를 저장했습니다. 새로 고쳐 최신 버전을 확인하세요.', reload: '새로 고침', discard: '변경 취소', removeAgent: '{{name}} 에이전트 제거', removeTask: '{{name}} 태스크 제거',
    export: '내보내기', exportHint: '크루 문서를 내려받거나 CrewAI 프로젝트의 YAML 파일 두 개로 내려받습니다.', exportYaml: 'YAML', exportJson: 'JSON', exportCrewai: 'CrewAI 프로젝트',
  },
  executions: {
    title: '실행 기록', empty: '아직 실행 기록이 없습니다', emptyHint: '크루 페이지에서 크루를 실행하면 실행 기록이 실시간으로 나타납니다.', noMatch: '조건에 맞는 실행 기록이 없습니다.',
    crew: '크루', allCrews: '모든 크루', from: '시작일', to: '종료일', minCost: '최소 비용 (USD)', maxCost: '최대 비용 (USD)', search: '입력값, 출력, 오류 메시지에서 검색', started: '시작 시각', duration: '소요 시간', tokens: '토큰', cost: '비용',
    id: '실행', loadMore: '더 불러오기', clear: '필터 초기화', sort: '정렬', pages: '페이지', pageN: '{{n}}페이지',
    sorts: { newest: '최신순', oldest: '오래된순', duration: '소요 시간 긴 순', cost: '비용 높은 순', tokens: '토큰 많은 순' },
    invalidFilter: '서버가 이 필터를 받아들이지 않았습니다 ({{detail}}).',
  },
  execution: {
    cancel: '실행 취소', cancelConfirm: '이 실행을 취소할까요?', cancelRequested: '취소를 요청했습니다', timeline: '타임라인', log: '실시간 로그', trace: '트레이스', metrics: '지표', io: '입력과 출력',
    inputs: '입력값', outputs: '출력값', error: '오류', live: '실시간', reconnecting: '다시 연결하는 중…', ended: '스트림 종료', autoscrollPaused: '자동 스크롤 일시 중지', resume: '최신으로 이동',
    level: '수준', allLevels: '모든 수준', streaming: '출력 스트리밍', events_one: '이벤트 {{count}}개', events_other: '이벤트 {{count}}개', noEvents: '이벤트를 기다리는 중…', details: '상세 정보', selectNode: '트레이스에서 노드를 선택하면 입력과 출력을 볼 수 있습니다.',
    calls: 'LLM 호출', p50: 'p50 지연 시간', p95: 'p95 지연 시간', byModel: '모델별', byAgent: '에이전트별', model: '모델', inputTokens: '입력 토큰', outputTokens: '출력 토큰', expandAll: '모두 펼치기', collapseAll: '모두 접기',
    toggle: '{{name}} 펼치기/접기', noOutputs: '아직 출력이 없습니다.', test: '테스트 실행', version: '버전 {{n}}',
  },
  settings: {
    title: '설정', profile: '프로필', appearance: '화면', apiKeys: 'API 키', team: '팀', llm: 'LLM 연결',
    theme: '테마', light: '라이트', dark: '다크', system: '시스템 설정', language: '언어', english: 'English (영어)', korean: '한국어',
    changePassword: '비밀번호 변경', currentPassword: '현재 비밀번호', newPassword: '새 비밀번호', passwordChanged: '비밀번호를 변경했습니다',
    keyName: '키 이름', scopes: '권한 범위', rateLimit: '요청 한도 (분당 요청 수)', expires: '만료일', createKey: '키 만들기', keyCreated: '지금 이 키를 복사하세요. 다시 표시되지 않습니다.',
    revoke: '폐기', revokeConfirm: '"{{name}}" 키를 폐기할까요? 이 키를 쓰는 클라이언트는 즉시 동작을 멈춥니다.', regenerate: '재발급', regenerateConfirm: '"{{name}}" 키를 재발급할까요? 기존 시크릿은 더 이상 쓸 수 없습니다.',
    noKeys: 'API 키가 없습니다. 스크립트나 CI에서 API를 호출하려면 키를 만드세요.', prefix: '접두어', lastUsed: '마지막 사용', members: '구성원', addMember: '구성원 추가', memberEmail: '구성원 이메일',
    role: '역할', owner: '소유자', member: '구성원', ownersOnly: '팀 소유자만 구성원을 관리할 수 있습니다.', removeMember: '{{name}} 내보내기', teamName: '팀 이름',
    providers: 'LLM 연결', addProvider: '연결 추가', provider: '제공자', baseUrl: '기본 URL', apiKey: 'API 키', defaultModel: '기본 모델', models: '모델 (쉼표로 구분)',
    enabled: '사용', hasKey: '키 저장됨', noProviders: '연결이 없습니다. 시뮬레이션 제공자와 환경 변수 키는 그대로 쓸 수 있으며, 직접 운영하는 엔드포인트를 쓰려면 연결을 추가하세요.',
    deleteProvider: '"{{name}}" 연결을 삭제할까요?', simulatedNote: '내장 "시뮬레이션" 제공자(simulated/default)는 데모와 테스트를 위해 오프라인으로 응답합니다.',
  },
  log: {
    execution_started: '실행 시작 ({{crew}})', task_started: '태스크 {{task}} 시작 (에이전트 {{agent}})',
    agent_started: '에이전트 {{agent}}이(가) {{task}} 작업 시작{{model}}', withModel: ' ({{model}})',
    llm_call: 'LLM 호출 {{model}}{{sim}}: 입력 토큰 {{input}} / 출력 토큰 {{output}}, {{ms}} ms', tool_call: '도구 {{tool}} ({{ms}} ms)',
    agent_completed: '에이전트 {{agent}} 완료', task_completed: '태스크 {{task}} 완료', task_skipped: '태스크 {{task}} 건너뜀: {{reason}}',
    error: '{{type}}: {{message}}', execution_completed: '실행 {{status}}{{cost}}', cost: ', 비용 {{cost}}',
  },
  errors: { notFound: '페이지를 찾을 수 없습니다', notFoundHint: '요청하신 페이지가 없습니다.', goHome: '대시보드로 이동', network: '네트워크 오류: 서버에 연결할 수 없습니다.' },
};

export default ko;
