import { fireEvent, screen, waitFor } from '@solidjs/testing-library';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../../db/seed.ts';
import { configureApi } from '../../lib/api.ts';
import { me } from '../../lib/session.ts';
import { renderPage } from '../../test/render.tsx';
import Login, { safeNext } from './login-page.tsx';

function fillIn(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('login page', () => {
  it('Should say the credentials are wrong on a 401, without naming which', async () => {
    configureApi({ baseUrl: inject('apiUrl'), headers: {} });
    renderPage(Login, { url: '/login' });
    fillIn('Email', 'viewer@edgeplane.local');
    fillIn('Password', 'not-the-password');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is not right.');
  });

  it('Should show the API field error beside an empty email', async () => {
    configureApi({ baseUrl: inject('apiUrl'), headers: {} });
    renderPage(Login, { url: '/login' });
    fillIn('Password', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email.getAttribute('aria-describedby')).toBeTruthy();
  });

  it('Should sign in and go to the page it was sent from', async () => {
    configureApi({ baseUrl: inject('apiUrl'), headers: {} });
    const { history } = renderPage(Login, { url: '/login?next=%2Fjobs', path: '/login' });
    fillIn('Email', 'editor@edgeplane.local');
    fillIn('Password', DEMO_PASSWORD);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(history.get()).toBe('/jobs'));
    expect(me()?.role).toBe('editor');
  });

  it('Should never follow a next link to another origin', () => {
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/items?q=a')).toBe('/items?q=a');
  });
});
