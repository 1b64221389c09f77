// The Profile Manager view's id, as package.json contributes it; activation registers the view under it.

export const PROFILE_MANAGER_VIEW_ID = 'profoundCoder.profileManager';
