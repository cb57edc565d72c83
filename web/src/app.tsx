import { Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { guarded } from './components/role-gate.tsx';
import { Shell } from './components/shell.tsx';
import { PAGES } from './routes.ts';

const Login = lazy(() => import('./pages/login/login-page.tsx'));

/** The dashboard: the sign-in page stands alone, every other page lives in the shell, behind its permission. */
export function App() {
  return (
    <Router>
      <Route path="/login" component={Login} />
      <Route path="/" component={Shell}>
        {PAGES.map((page) => (
          <Route path={page.path} component={guarded(page)} />
        ))}
      </Route>
    </Router>
  );
}
