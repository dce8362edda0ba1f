/**
 * Staff roles and what each allows. Pure: no I/O, nothing from the app.
 */

/** What a staff member is (DESIGN.md, Roles). */
export type StaffRole = 'agent' | 'supervisor' | 'head' | 'admin';

export const STAFF_ROLES: readonly StaffRole[] = ['agent', 'supervisor', 'head', 'admin'];

/** Roles an admin grants from Telegram when approving an access request. */
export const GRANTABLE_ROLES: readonly StaffRole[] = ['agent', 'supervisor'];

/** What a role allows. */
export type Permission =
  /** claim, answer, dismiss, tag a sector */
  | 'handle'
  /** reassign, release or answer someone else's inquiry, approve answers */
  | 'supervise'
  /** approve access requests, list the staff */
  | 'manage_staff'
  /** /report and /stats */
  | 'reports';

const PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  agent: ['handle', 'reports'],
  supervisor: ['handle', 'supervise', 'reports'],
  head: ['reports'],
  admin: ['handle', 'supervise', 'manage_staff', 'reports'],
};

/** Whether an active staff member with this role may do it; an inactive one may do nothing. */
export function can(staff: { role: StaffRole; active: boolean }, permission: Permission): boolean {
  return staff.active && PERMISSIONS[staff.role].includes(permission);
}

/** Every role that allows `permission` (to find the people who may do something). */
export function rolesThat(permission: Permission): StaffRole[] {
  return STAFF_ROLES.filter((role) => PERMISSIONS[role].includes(permission));
}
