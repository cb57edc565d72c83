import { installLogGuard } from './log-guard.ts';

// Every test file of the Node projects: no log line may carry a secret (see log-guard.ts).
installLogGuard();
