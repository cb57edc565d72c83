import { Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { Shell } from './components/shell.tsx';
import { ROUTES } from './routes.ts';

const Login = lazy(() => import('./pages/login/login-page.tsx'));

/** The dashboard: the sign-in page stands alone, every other page lives in the shell. */
export function App() {
  return (
    <Router>
      <Route path="/login" component={Login} />
      <Route path="/" component={Shell}>
        {ROUTES.map((route) => (
          <Route path={route.path} component={route.component} />
        ))}
      </Route>
    </Router>
  );
}
