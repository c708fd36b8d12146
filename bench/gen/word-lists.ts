// Vocabulary for a believable organisation. Plain ASCII: the point is load, not Unicode
// handling (the validator's own tests cover that), but a few names carry apostrophes and
// hyphens so YAML quoting is exercised.

export const FIRST_NAMES: readonly string[] = [
  'Aaron', 'Abigail', 'Adam', 'Adrian', 'Aisha', 'Alan', 'Alba', 'Alejandro', 'Alex', 'Alice',
  'Amara', 'Amelia', 'Amir', 'Ana', 'Andrea', 'Andrew', 'Angela', 'Anika', 'Anna', 'Anton',
  'Arjun', 'Astrid', 'Ava', 'Beatriz', 'Ben', 'Bianca', 'Boris', 'Brian', 'Camila', 'Carlos',
  'Carmen', 'Caroline', 'Chen', 'Chloe', 'Chris', 'Claire', 'Daniel', 'Daria', 'David', 'Deepa',
  'Diego', 'Dmitri', 'Elena', 'Eli', 'Elif', 'Emily', 'Emma', 'Erik', 'Esther', 'Ethan',
  'Fatima', 'Felix', 'Fiona', 'Francesca', 'Gabriel', 'Grace', 'Hana', 'Hannah', 'Hassan', 'Helen',
  'Henrik', 'Hugo', 'Ines', 'Ingrid', 'Isaac', 'Isabel', 'Ivan', 'Jack', 'James', 'Jana',
  'Javier', 'Jing', 'Joao', 'Jonas', 'Jorge', 'Jose', 'Julia', 'Julian', 'Kai', 'Karen',
  'Karim', 'Kate', 'Kenji', 'Kofi', 'Lars', 'Laura', 'Leah', 'Leon', 'Liam', 'Lucas',
  'Lucia', 'Luis', 'Maja', 'Malik', 'Marco', 'Maria', 'Mark', 'Marta', 'Mateo', 'Maya',
  'Mei', 'Mia', 'Michael', 'Miguel', 'Mohammed', 'Nadia', 'Naomi', 'Nathan', 'Nia', 'Nikolai',
  'Nina', 'Noah', 'Nora', 'Olga', 'Oliver', 'Omar', 'Oscar', 'Paolo', 'Paula', 'Pedro',
  'Peter', 'Priya', 'Rafael', 'Rahul', 'Ravi', 'Rebecca', 'Rosa', 'Ryan', 'Sakura', 'Samir',
  'Samuel', 'Sara', 'Sean', 'Sofia', 'Sophie', 'Stefan', 'Sunita', 'Tariq', 'Tessa', 'Thomas',
  'Tomas', 'Uma', 'Valentina', 'Victor', 'Wei', 'Xavier', 'Yara', 'Yusuf', 'Zainab', 'Zoe',
];

export const LAST_NAMES: readonly string[] = [
  'Abbott', 'Adeyemi', 'Ahmed', 'Alvarez', 'Andersen', 'Bailey', 'Baker', 'Banerjee', 'Barros', 'Becker',
  'Bennett', 'Berg', 'Bianchi', 'Brooks', 'Brown', 'Campbell', 'Carter', 'Castro', 'Chang', 'Chen',
  'Clarke', 'Costa', 'Cruz', 'Dahl', 'Das', 'Davies', 'Diaz', 'Dubois', 'Edwards', 'Eriksson',
  'Evans', 'Fernandes', 'Fischer', 'Fitzgerald', 'Fontaine', 'Garcia', 'Ghosh', 'Gomez', 'Gonzalez', 'Graham',
  'Gupta', 'Hansen', 'Harris', 'Hayashi', 'Hernandez', 'Hoffmann', 'Hughes', 'Ibrahim', 'Ito', 'Iyer',
  'Jackson', 'Jansen', 'Jensen', 'Johansson', 'Johnson', 'Jones', 'Kato', 'Keller', 'Khan', 'Kim',
  'Kowalski', 'Kumar', 'Larsen', 'Laurent', 'Lee', 'Lehmann', 'Lewis', 'Lindqvist', 'Lopez', 'Maier',
  'Martin', 'Martinez', 'Mendes', 'Meyer', 'Miller', 'Mitchell', 'Moreau', 'Moreno', 'Morris', 'Mueller',
  'Murphy', 'Nakamura', 'Nguyen', 'Nielsen', 'Novak', "O'Brien", "O'Connor", 'Okafor', 'Olsen', 'Ortiz',
  'Owusu', 'Park', 'Patel', 'Pereira', 'Perez', 'Petrov', 'Phillips', 'Popescu', 'Quinn', 'Ramirez',
  'Rao', 'Reddy', 'Reyes', 'Richter', 'Rivera', 'Roberts', 'Rodriguez', 'Romano', 'Rossi', 'Russo',
  'Saito', 'Sanchez', 'Santos', 'Sato', 'Schmidt', 'Schneider', 'Schulz', 'Sharma', 'Silva', 'Singh',
  'Smith', 'Sousa', 'Suzuki', 'Svensson', 'Takahashi', 'Tanaka', 'Taylor', 'Thomas', 'Thompson', 'Torres',
  'Turner', 'Vargas', 'Varga', 'Wagner', 'Walker', 'Wang', 'Watanabe', 'Weber', 'White', 'Williams',
  'Wilson', 'Wong', 'Wright', 'Wu', 'Yamamoto', 'Yilmaz', 'Young', 'Zhang', 'Zhou', 'Zimmermann',
  'Smith-Jones', 'Garcia-Lopez', 'Van Dijk', 'De Luca', 'Mensah', 'Haddad', 'Nowak', 'Horvat', 'Kovacs', 'Papadopoulos',
];

export const BUSINESS_UNITS: readonly string[] = [
  'payments', 'retail', 'logistics', 'analytics', 'marketing', 'mobile', 'search', 'media',
  'billing', 'support', 'catalog', 'pricing', 'fraud', 'messaging', 'maps', 'ads',
  'growth', 'travel', 'health', 'insurance', 'lending', 'gaming', 'music', 'video',
];

/** Team words; a team is `<business unit>-<word>`. */
export const TEAM_WORDS: readonly string[] = [
  'api', 'apollo', 'atlas', 'aurora', 'beacon', 'bolt', 'bridge', 'cache', 'canary', 'cargo',
  'checkout', 'cinder', 'comet', 'compass', 'core', 'cosmos', 'crane', 'delta', 'depot', 'drift',
  'echo', 'ember', 'engine', 'falcon', 'fjord', 'flare', 'forge', 'fox', 'gateway', 'geyser',
  'glacier', 'harbor', 'hawk', 'helix', 'hive', 'horizon', 'indigo', 'ingest', 'iris', 'jade',
  'jet', 'juniper', 'kepler', 'kite', 'lantern', 'ledger', 'lynx', 'magnet', 'maple', 'mesa',
  'meteor', 'mint', 'monsoon', 'nebula', 'nectar', 'nexus', 'nova', 'oak', 'onyx', 'orbit',
  'otter', 'owl', 'pebble', 'phoenix', 'pilot', 'pine', 'pixel', 'prism', 'pulse', 'quartz',
  'quasar', 'radar', 'raven', 'reef', 'relay', 'ridge', 'river', 'rocket', 'sage', 'saturn',
  'scout', 'sentry', 'shard', 'sierra', 'signal', 'sonar', 'spark', 'sparrow', 'spruce', 'summit',
  'tango', 'tempo', 'tern', 'thunder', 'tide', 'timber', 'topaz', 'torch', 'tundra', 'umbra',
  'vapor', 'vector', 'velvet', 'venus', 'vertex', 'viper', 'vista', 'volt', 'wave', 'willow',
  'wren', 'xenon', 'yak', 'yarrow', 'zenith', 'zephyr', 'zinc', 'zodiac', 'anchor', 'badger',
];

export const SERVICE_WORDS: readonly string[] = [
  'api', 'web', 'worker', 'data', 'stream', 'batch', 'edge', 'auth', 'search', 'store',
  'queue', 'cache', 'ml', 'etl', 'portal', 'admin', 'events', 'sync', 'reports', 'backend',
];

export const INFRA_ACCOUNTS: readonly string[] = [
  'network-hub', 'shared-services', 'ci-cd', 'dns', 'backup', 'observability', 'artifact-registry',
  'identity-broker', 'secrets', 'egress', 'transit', 'build-cache', 'container-registry', 'vpn',
  'directory', 'patching',
];

export const SECURITY_ACCOUNTS: readonly string[] = [
  'log-archive', 'audit', 'security-tooling', 'guardduty-admin', 'forensics', 'siem', 'config-aggregator',
  'key-management',
];

export const REGIONS: readonly string[] = ['eu', 'us', 'ap'];

export const ENGINEER_TITLES: readonly string[] = [
  'Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Principal Engineer',
  'Site Reliability Engineer', 'Data Engineer', 'Security Engineer', 'Engineering Manager',
  'Platform Engineer', 'Machine Learning Engineer',
];

export const OTHER_TITLES: readonly string[] = [
  'Product Manager', 'Data Analyst', 'Designer', 'Finance Partner', 'Account Executive',
  'Technical Writer', 'Program Manager', 'Support Specialist', 'Recruiter', 'Legal Counsel',
];

export const PROJECT_WORDS: readonly string[] = [
  'migration', 'replatform', 'gdpr', 'sox', 'pci', 'hackweek', 'cost-review', 'dr-drill', 'launch',
  'incident-review', 'ml-pilot', 'data-mesh', 'zero-trust', 'k8s-upgrade', 'ipv6', 'multi-region',
  'vendor-eval', 'chaos-day', 'observability', 'api-v2',
];
