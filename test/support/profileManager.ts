import type { Frame, Locator } from 'playwright-core';

// What a person does and reads in the Profile Manager page (the webview's document, from
// Workbench.webviewFrame), for e2e tests.

export function addProfileForm(page: Frame): Locator {
  return page.getByRole('form', { name: 'Add profile' });
}

export function profileEntries(page: Frame): Locator {
  return page.getByRole('list', { name: 'Profiles', exact: true }).getByRole('listitem');
}

/** The entry of the profile list named `name`. */
export function profileItem(page: Frame, name: string): Locator {
  return profileEntries(page).filter({ has: page.getByText(name, { exact: true }) });
}

/** The names of the listed profiles, top to bottom: each entry's first line. */
export async function listedNames(page: Frame, entries = profileEntries(page)): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await entries.all()) names.push((await entry.innerText()).split('\n')[0].trim());
  return names;
}

/** Unfolds the Add profile form when it is folded behind its button (profiles are listed). */
export async function openAddProfile(page: Frame): Promise<void> {
  // A sign-in's profile can be listed before its result reaches the form, which then empties and
  // folds: wait for that first.
  await page.locator('section[aria-labelledby="add-heading"][aria-busy="true"]').waitFor({ state: 'detached' });
  const folded = page.getByRole('button', { name: 'Add profile', exact: true, expanded: false });
  if ((await folded.count()) > 0) await folded.click();
}

/**
 * Fills Profile name and Server URL and leaves the URL field, which checks the server. A URL the
 * form kept from the last attempt (or filled in from the settings) is left as it is, as a person would.
 */
export async function enterServer(page: Frame, profileName: string, serverUrl: string): Promise<void> {
  await openAddProfile(page);
  await page.getByRole('textbox', { name: 'Profile name', exact: true }).fill(profileName);
  const url = page.getByRole('textbox', { name: 'Server URL', exact: true });
  if ((await url.inputValue()) !== serverUrl) {
    await url.fill(serverUrl);
    await url.press('Tab');
  }
  await addProfileForm(page).getByText(/Server reachable\./).waitFor();
}

/** Signs in with a username and password from the Add profile form; resolves once the click is made. */
export async function startPasswordSignIn(page: Frame, profile: { name: string; serverUrl: string; username: string; password: string }): Promise<void> {
  await enterServer(page, profile.name, profile.serverUrl);
  await page.getByRole('tab', { name: 'Username & password' }).click();
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(profile.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(profile.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in with a username and password and waits until the profile is listed. */
export async function signInWithPassword(page: Frame, profile: { name: string; serverUrl: string; username: string; password: string }): Promise<void> {
  await startPasswordSignIn(page, profile);
  await profileItem(page, profile.name).waitFor();
}

/** Signs in with a pasted API key and waits until the profile is listed. */
export async function signInWithApiKey(page: Frame, profile: { name: string; serverUrl: string; apiKey: string }): Promise<void> {
  await enterServer(page, profile.name, profile.serverUrl);
  await page.getByRole('tab', { name: 'API key', exact: true }).click();
  await page.getByRole('textbox', { name: 'API key', exact: true }).fill(profile.apiKey);
  await page.getByRole('button', { name: 'Save key', exact: true }).click();
  await profileItem(page, profile.name).waitFor();
}
