-- The built-in apps with upstream's uids and names (spec 4.1): the GUI and the permission list refer to them.
-- No owner: nobody may edit or delete them through puter-apps; operators may point index_url at local copies.
-- No icon: /app-icon serves a generated one.
INSERT INTO apps (uid, name, title, description, godmode, maximize_on_start, index_url, approved_for_listing,
                  approved_for_opening_items, created_at)
VALUES
    ('app-0b37f054-07d4-4627-8765-11bd23e889d4', 'dev-center', 'Dev Center', 'This is the app that makes apps', 1, 1,
     'https://builtins.namespaces.puter.com/dev-center', 1, 1, 1577836800000),
    ('app-838dfbc4-bf8b-48c2-b47b-c4adc77fab58', 'editor', 'Editor', 'A simple text editor', 0, 0,
     'https://editor.puter.com/index.html', 1, 1, 1577836800000),
    ('app-7870be61-8dff-4a99-af64-e9ae6811e367', 'viewer', 'Viewer', 'View images', 0, 0,
     'https://viewer.puter.com/index.html', 1, 1, 1577836800000),
    ('app-3920851d-bda8-479b-9407-8517293c7d44', 'pdf', 'PDF', 'View PDF documents', 0, 0,
     'https://pdf.puter.com/index.html', 1, 1, 1577836800000),
    ('app-5584fbf7-ed69-41fc-99cd-85da21b1ef51', 'camera', 'Camera', 'Camera in the browser.', 0, 0,
     'https://camera.puter.com/index.html', 1, 1, 1577836800000),
    ('app-11edfba2-1ed3-4e22-8573-47e88fb87d70', 'player', 'Player', 'Play audio and video', 0, 0,
     'https://player.puter.com/index.html', 1, 1, 1577836800000),
    ('app-7bdca1a4-6373-4c98-ad97-03ff2d608ca1', 'recorder', 'Recorder', 'Record voice memos in the browser', 0, 0,
     'https://recorder.puter.com/index.html', 1, 1, 1577836800000),
    ('app-e3ac5486-da8c-42ad-8377-8728086e0980', 'git', 'Git', 'A git client in the browser', 0, 0,
     'https://git.puter.com/index.html', 1, 1, 1577836800000);
